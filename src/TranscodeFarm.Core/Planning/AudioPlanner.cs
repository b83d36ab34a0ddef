using System.Globalization;
using TranscodeFarm.Core.Profiles;

namespace TranscodeFarm.Core.Planning;

/// <summary>
/// The audio half of planning (decision 029), pure: which source tracks to keep (the profile's
/// <see cref="AudioSelection"/>), how each is labelled (language normalized, name from the title or the language), which
/// one is the default, and the renditions made of each: every stereo (≤ 2 channel) rendition per kept track, and each
/// surround rendition only from a kept track with at least its channel count. A multichannel track with a stereo
/// companion of the same language and role (the "5.1 mix" beside the stereo one) gives only the surround renditions.
/// </summary>
public static class AudioPlanner
{
    /// <summary>The most source tracks an asset keeps whatever the profile says (the profile's maxTracks is 1 to 16).</summary>
    public const int MaxKeptTracks = 16;

    public static IReadOnlyList<PlannedAudio> Plan(LadderProfile profile, IReadOnlyList<AudioSourceInfo> tracks)
    {
        if (tracks.Count == 0 || profile.Audio.Count == 0)
        {
            return [];
        }

        var kept = Select(profile.AudioSelection, tracks);
        var labels = Label(kept);
        // A profile with no stereo rendition keeps the old rule: every rendition from every track, channels clamped.
        var hasStereo = profile.Audio.Any(a => a.Channels <= 2);
        var planned = new List<(PlannedAudio Audio, AudioRendition From)>();
        foreach (var track in kept)
        {
            var label = labels[track.Index];
            var surroundOnly = track.Channels > 2 && kept.Any(o => o != track && o.Channels is > 0 and <= 2 && SameEntry(labels[o.Index], label));
            foreach (var r in profile.Audio)
            {
                var surround = hasStereo && r.Channels > 2;
                if ((surround && track.Channels < r.Channels) || (!surround && surroundOnly))
                {
                    continue;
                }

                // With several tracks, a mono one is made stereo like the others: a player lists the languages of one
                // HLS group (one channel layout), and a mono commentary alone in its own group would never be offered.
                var channels = !surround && kept.Count > 1 ? r.Channels
                    : Math.Clamp(Math.Min(r.Channels, track.Channels <= 0 ? r.Channels : track.Channels), 1, 8);
                planned.Add((new PlannedAudio(r.Name, r.BitrateKbps, channels, r.SampleRate, r.Codec, r.Filter)
                {
                    SourceIndex = track.Index,
                    Label = label,
                }, r));
            }
        }

        return Name(planned);
    }

    /// <summary>
    /// The tracks to keep, the default first: with languages, those whose primary subtag is listed, in the list's order
    /// (source order within a language); at most MaxTracks; none matching keeps the default (or first) track.
    /// </summary>
    public static IReadOnlyList<AudioSourceInfo> Select(AudioSelection selection, IReadOnlyList<AudioSourceInfo> tracks)
    {
        // A stream ffprobe could not name cannot be decoded: mapping it would fail the whole encode, so it is left out
        // (unless it is all there is, and then the encode's error says why).
        var decodable = tracks.Where(t => t.Codec is not ("unknown" or "none")).ToList();
        tracks = decodable.Count > 0 ? decodable : tracks;
        var byPreference = tracks.OrderByDescending(t => t.IsDefault && !t.DescribesVideo).ThenBy(t => t.DescribesVideo).ThenBy(t => t.Index).ToList();
        var candidates = selection.AudioDescription ? byPreference : byPreference.Where(t => !t.DescribesVideo).ToList();
        if (selection.Languages.Count > 0)
        {
            var wanted = selection.Languages.Select(l => AudioLanguage.Primary(AudioLanguage.Normalize(l))).ToList();
            candidates = candidates
                .Select(t => (t, Rank: wanted.IndexOf(AudioLanguage.Primary(AudioLanguage.Normalize(t.Language)))))
                .Where(p => p.Rank >= 0)
                .OrderBy(p => p.Rank).ThenByDescending(p => p.t.IsDefault).ThenBy(p => p.t.Index)
                .Select(p => p.t).ToList();
        }

        if (candidates.Count == 0)
        {
            candidates = [byPreference[0]];
        }

        // A hostile source with dozens of streams must not multiply the encode: never more than MaxKeptTracks.
        return candidates.Take(Math.Min(selection.MaxTracks ?? MaxKeptTracks, MaxKeptTracks)).ToList();
    }

    /// <summary>Labels by source index: language, a name unique among the kept tracks, and exactly one default.</summary>
    public static IReadOnlyDictionary<int, AudioTrackLabel> Label(IReadOnlyList<AudioSourceInfo> kept)
    {
        var defaultTrack = kept.FirstOrDefault(t => t.IsDefault && !t.DescribesVideo) ?? kept.FirstOrDefault(t => !t.DescribesVideo) ?? kept.FirstOrDefault();
        var labels = new Dictionary<int, AudioTrackLabel>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in kept)
        {
            var language = AudioLanguage.Normalize(t.Language);
            var name = t.Title is { Length: > 0 } title ? title.Trim()
                : (AudioLanguage.EnglishName(language) ?? (language == AudioLanguage.Undetermined ? $"Audio {t.Index + 1}" : language))
                  + (t.DescribesVideo ? " (audio description)" : "");
            // A stereo track and its 5.1 companion may share a name (different HLS groups); anything else gets a number.
            var key = $"{name}|{t.DescribesVideo}|{t.Channels > 2}";
            for (var n = 2; !used.Add(key); n++)
            {
                name = string.Create(CultureInfo.InvariantCulture, $"{name.Split(" #")[0]} #{n}");
                key = $"{name}|{t.DescribesVideo}|{t.Channels > 2}";
            }

            labels[t.Index] = new AudioTrackLabel(language, name, t == defaultTrack, t.DescribesVideo);
        }

        return labels;
    }

    private static bool SameEntry(AudioTrackLabel a, AudioTrackLabel b) => a.Language == b.Language && a.DescribesVideo == b.DescribesVideo;

    /// <summary>Rendition names stay the profile's when one track is kept; with several, each gets its language (and a number when repeated).</summary>
    private static List<PlannedAudio> Name(List<(PlannedAudio Audio, AudioRendition From)> planned)
    {
        if (planned.Select(p => p.Audio.SourceIndex).Distinct().Count() <= 1)
        {
            return planned.Select(p => p.Audio).ToList();
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<PlannedAudio>();
        foreach (var (audio, from) in planned)
        {
            var label = audio.Label!;
            var name = $"{from.Name}-{label.Language.ToLowerInvariant()}{(label.DescribesVideo ? "-ad" : "")}";
            var unique = name;
            for (var n = 2; !names.Add(unique); n++)
            {
                unique = string.Create(CultureInfo.InvariantCulture, $"{name}-{n}");
            }

            result.Add(audio with { Name = unique });
        }

        return result;
    }
}
