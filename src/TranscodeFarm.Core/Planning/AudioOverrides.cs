namespace TranscodeFarm.Core.Planning;

/// <summary>A producer's word on one source audio track (the sidecar's "audio" entries, decision 029).</summary>
/// <param name="Track">1-based position among the source's audio streams (1 is ffmpeg's 0:a:0).</param>
public sealed record AudioTrackOverride(int Track, string? Language = null, string? Name = null, bool? Default = null, bool? Description = null);

/// <summary>
/// The sidecar's audio settings applied to what the probe found: per-track language, name, default and audio-description
/// marks, and a default language. Pure; <see cref="Validate"/> refuses bad values by name at ingest, <see cref="Apply"/>
/// refuses a track number the source does not have at planning.
/// </summary>
public static class AudioOverrides
{
    public const int MaxNameLength = 100;

    /// <summary>Problems with the values themselves, each naming the field; empty when all are usable.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<AudioTrackOverride>? tracks, string? defaultLanguage)
    {
        var errors = new List<string>();
        if (defaultLanguage is not null && !AudioLanguage.IsValid(defaultLanguage))
        {
            errors.Add($"defaultAudioLanguage '{defaultLanguage}' is not a BCP 47 or ISO 639 language tag (e.g. \"en\", \"fra\", \"pt-BR\")");
        }

        tracks ??= [];
        for (var i = 0; i < tracks.Count; i++)
        {
            var t = tracks[i];
            if (t.Track is < 1 or > 64)
            {
                errors.Add($"audio[{i}].track must be the 1-based number of a source audio track (1 to 64, got {t.Track})");
            }

            if (t.Language is not null && !AudioLanguage.IsValid(t.Language))
            {
                errors.Add($"audio[{i}].language '{t.Language}' is not a BCP 47 or ISO 639 language tag (e.g. \"en\", \"fra\", \"pt-BR\")");
            }

            if (t.Name is not null && (t.Name.Trim().Length == 0 || t.Name.Length > MaxNameLength || t.Name.Any(char.IsControl)))
            {
                errors.Add($"audio[{i}].name must be 1 to {MaxNameLength} characters with no control characters");
            }
        }

        foreach (var dup in tracks.GroupBy(t => t.Track).Where(g => g.Count() > 1))
        {
            errors.Add($"audio: track {dup.Key} is listed more than once");
        }

        if (tracks.Count(t => t.Default == true) > 1)
        {
            errors.Add("audio: more than one track has \"default\": true");
        }

        if (defaultLanguage is not null && tracks.Any(t => t.Default == true))
        {
            errors.Add("give either defaultAudioLanguage or an audio track with \"default\": true, not both");
        }

        return errors;
    }

    /// <summary>The source's tracks with the producer's labels; an error when a listed track is not in the source.</summary>
    public static (IReadOnlyList<AudioSourceInfo>? Tracks, string? Error) Apply(
        IReadOnlyList<AudioSourceInfo> source, IReadOnlyList<AudioTrackOverride>? tracks, string? defaultLanguage)
    {
        tracks ??= [];
        if (tracks.FirstOrDefault(t => t.Track > source.Count) is { } missing)
        {
            return (null, $"the sidecar labels audio track {missing.Track} but the source has {source.Count} audio track{(source.Count == 1 ? "" : "s")}");
        }

        var chosenDefault = tracks.FirstOrDefault(t => t.Default == true)?.Track - 1;
        if (defaultLanguage is not null)
        {
            var wanted = AudioLanguage.Primary(AudioLanguage.Normalize(defaultLanguage));
            chosenDefault = source.Select((s, i) => (s, i))
                .Where(p => AudioLanguage.Primary(AudioLanguage.Normalize(LanguageOf(p.s, p.i, tracks))) == wanted)
                .Select(p => (int?)p.i).FirstOrDefault();
            if (chosenDefault is null)
            {
                return (null, $"the sidecar's defaultAudioLanguage '{defaultLanguage}' matches none of the source's audio tracks");
            }
        }

        var result = source.Select((s, i) =>
        {
            var o = tracks.FirstOrDefault(t => t.Track == i + 1);
            return s with
            {
                Language = LanguageOf(s, i, tracks),
                Title = o?.Name ?? s.Title,
                DescribesVideo = o?.Description ?? s.DescribesVideo,
                IsDefault = chosenDefault is { } d ? d == i : s.IsDefault,
            };
        }).ToList();
        return (result, null);
    }

    private static string? LanguageOf(AudioSourceInfo s, int i, IReadOnlyList<AudioTrackOverride> tracks) =>
        tracks.FirstOrDefault(t => t.Track == i + 1)?.Language ?? s.Language;
}
