using System.Globalization;
using System.Text;

namespace TranscodeFarm.Core.Packaging.Manifests;

/// <summary>
/// Writes HLS over the packaged CMAF segments (RFC 8216): a master playlist with measured peak and average
/// bandwidths, codecs, resolutions and an audio group, and one VOD media playlist per track.
/// </summary>
public static class HlsWriter
{
    /// <summary>Audio renditions that one EXT-X-MEDIA group holds: same codec, same channel count.</summary>
    public sealed record AudioGroup(string Id, IReadOnlyList<PackagedTrack> Tracks);

    public const int Version = 7;

    public static string PlaylistName(PackagedTrack track) => Ffmpeg.OutputLayout.MediaPlaylist(int.Parse(track.Id, System.Globalization.CultureInfo.InvariantCulture));

    /// <param name="captioned">Video renditions (by name) that carry CEA-608 captions: their variants name the CLOSED-CAPTIONS group (030).</param>
    public static string Master(
        IReadOnlyList<PackagedTrack> tracks, IReadOnlyList<string>? sessionKeys = null, IReadOnlyList<Subtitles.SubtitleRendition>? subtitles = null,
        IReadOnlySet<string>? captioned = null)
    {
        var video = tracks.Where(t => t.Info.Kind == TrackKind.Video).ToList();
        var audio = tracks.Where(t => t.Info.Kind == TrackKind.Audio).ToList();
        var sb = Header();
        foreach (var key in sessionKeys ?? [])
        {
            sb.Append(key).Append('\n');
        }

        foreach (var tag in HlsSubtitles.MediaTags(subtitles ?? []))
        {
            sb.Append(tag).Append('\n');
        }

        var withCaptions = video.Any(v => captioned?.Contains(v.Name) == true);
        if (withCaptions)
        {
            sb.Append(HlsSubtitles.ClosedCaptionsTag).Append('\n');
        }

        if (video.Count == 0 && audio.Select(a => a.Label).Distinct().Count() > 1 && audio.All(a => a.Label is not null))
        {
            // Audio-only with several languages: the same groups, and one variant per group that plays its default.
            foreach (var group in AudioGroups(audio))
            {
                var first = WriteGroup(sb, group, audio);
                sb.Append(Inv($"#EXT-X-STREAM-INF:BANDWIDTH={group.Tracks.Max(a => a.PeakBitrate)},AVERAGE-BANDWIDTH={group.Tracks.Max(a => a.AverageBitrate)},CODECS=\"{first.Info.Codec}\",AUDIO=\"{group.Id}\"{HlsSubtitles.VariantAttribute(subtitles)}\n"));
                sb.Append(PlaylistName(first)).Append('\n');
            }

            return sb.ToString();
        }

        if (video.Count == 0)
        {
            foreach (var a in audio)
            {
                sb.Append(Inv($"#EXT-X-STREAM-INF:BANDWIDTH={a.PeakBitrate},AVERAGE-BANDWIDTH={a.AverageBitrate},CODECS=\"{a.Info.Codec}\"{HlsSubtitles.VariantAttribute(subtitles)}\n"));
                sb.Append(PlaylistName(a)).Append('\n');
            }

            return sb.ToString();
        }

        var groups = AudioGroups(audio);
        foreach (var group in groups)
        {
            WriteGroup(sb, group, audio);
        }

        // Each variant once per audio group (RFC 8216 §4.3.4.2.1: a group's renditions share a codec and channel layout);
        // stereo groups first, so a player that takes the first variant starts with stereo.
        foreach (var group in groups.DefaultIfEmpty())
        {
            var audioPeak = group?.Tracks.Max(a => a.PeakBitrate) ?? 0;
            var audioAverage = group?.Tracks.Max(a => a.AverageBitrate) ?? 0;
            foreach (var v in video.OrderByDescending(v => v.PeakBitrate))
            {
                var codecs = group is null ? v.Info.Codec : $"{v.Info.Codec},{group.Tracks[0].Info.Codec}";
                sb.Append(Inv($"#EXT-X-STREAM-INF:BANDWIDTH={v.PeakBitrate + audioPeak},AVERAGE-BANDWIDTH={v.AverageBitrate + audioAverage},CODECS=\"{codecs}\",RESOLUTION={v.Info.Width}x{v.Info.Height}"));
                if (v.TypicalSampleDuration > 0)
                {
                    sb.Append(Inv($",FRAME-RATE={(double)v.Info.Timescale / v.TypicalSampleDuration:0.000}"));
                }

                // Every variant says its range (RFC 8216bis): a player on an SDR display skips PQ and HLG variants.
                sb.Append(",VIDEO-RANGE=").Append(VideoRange(v.Range));
                if (group is not null)
                {
                    sb.Append(",AUDIO=\"").Append(group.Id).Append('"');
                }

                sb.Append(HlsSubtitles.VariantAttribute(subtitles));
                if (withCaptions)
                {
                    // RFC 8216 4.3.4.2: a variant without them says NONE once any variant has a CLOSED-CAPTIONS group.
                    sb.Append(captioned!.Contains(v.Name) ? $",CLOSED-CAPTIONS=\"{Subtitles.ClosedCaptions.GroupId}\"" : ",CLOSED-CAPTIONS=NONE");
                }

                sb.Append('\n').Append(PlaylistName(v)).Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <param name="keysBeforeMap">EXT-X-KEY lines for sample encryption (the init segment stays clear either way).</param>
    /// <param name="keysAfterMap">EXT-X-KEY lines for whole-segment AES-128: after the map, so it does not apply to the init segment.</param>
    public static string Media(PackagedTrack track, IReadOnlyList<string>? keysBeforeMap = null, IReadOnlyList<string>? keysAfterMap = null)
    {
        var timescale = (double)track.Info.Timescale;
        var longest = track.Segments.Count == 0 ? 0 : track.Segments.Max(s => s.Duration / timescale);
        var target = Math.Max(1, (int)Math.Round(longest, MidpointRounding.AwayFromZero));
        var sb = Header();
        sb.Append(Inv($"#EXT-X-TARGETDURATION:{target}\n"));
        sb.Append("#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n");
        foreach (var key in keysBeforeMap ?? [])
        {
            sb.Append(key).Append('\n');
        }

        sb.Append(Inv($"#EXT-X-MAP:URI=\"{track.InitFileName}\"\n"));
        foreach (var key in keysAfterMap ?? [])
        {
            sb.Append(key).Append('\n');
        }

        foreach (var s in track.Segments)
        {
            sb.Append(Inv($"#EXTINF:{s.Duration / timescale:0.000000},\n{s.FileName}\n"));
        }

        sb.Append("#EXT-X-ENDLIST\n");
        return sb.ToString();
    }

    /// <summary>
    /// An audio group per codec and channel count ("audio-aac-2", "audio-aac-6"), fewest channels first. A player lists
    /// the languages of the group its variant names, so each larger group also offers, by the same playlist, the
    /// smallest group's rendition of every language and role it lacks (decision 029): French stereo beside English 5.1.
    /// </summary>
    public static IReadOnlyList<AudioGroup> AudioGroups(IReadOnlyList<PackagedTrack> audio)
    {
        var groups = audio.GroupBy(a => (a.Info.Codec, a.Info.Channels))
            .OrderBy(g => g.Key.Channels).ThenBy(g => g.Key.Codec, StringComparer.Ordinal)
            .Select(g => (g.Key.Codec, Id: Inv($"audio-{CodecFamily(g.Key.Codec)}-{g.Key.Channels}"), Tracks: g.ToList()))
            .ToList();
        foreach (var (codec, _, tracks) in groups.Skip(1))
        {
            var smallest = groups.First(g => g.Codec == codec).Tracks;
            var offered = tracks.Where(t => t.Label is not null).Select(t => (t.Label!.Language, t.Label.DescribesVideo)).ToHashSet();
            tracks.AddRange(smallest.Where(t => t.Label is { } l && offered.Add((l.Language, l.DescribesVideo))));
            tracks.Sort((a, b) => int.Parse(a.Id, CultureInfo.InvariantCulture).CompareTo(int.Parse(b.Id, CultureInfo.InvariantCulture)));
        }

        return groups.Select(g => new AudioGroup(g.Id, g.Tracks)).ToList();
    }

    /// <summary>A group's EXT-X-MEDIA lines; returns its DEFAULT=YES track.</summary>
    private static PackagedTrack WriteGroup(StringBuilder sb, AudioGroup group, IReadOnlyList<PackagedTrack> audio)
    {
        // The default track; in a group without it, the default language's other layout (its 5.1), else the first.
        var defaultLanguage = audio.FirstOrDefault(a => a.Label?.IsDefault == true)?.Label!.Language;
        var isDefault = group.Tracks.FirstOrDefault(a => a.Label?.IsDefault == true)
            ?? group.Tracks.FirstOrDefault(a => a.Label is { DescribesVideo: false } l && l.Language == defaultLanguage)
            ?? group.Tracks.FirstOrDefault(a => a.Label?.DescribesVideo != true) ?? group.Tracks[0];
        foreach (var a in group.Tracks)
        {
            sb.Append(MediaLine(group.Id, a, a == isDefault));
        }

        return isDefault;
    }

    /// <summary>One EXT-X-MEDIA line: language and name from the track's label (decision 029), "und" and the rendition's name without one.</summary>
    public static string MediaLine(string groupId, PackagedTrack a, bool isDefault)
    {
        var language = a.Label?.Language ?? "und";
        var name = a.Label?.Name ?? a.Name;
        var line = new StringBuilder(Inv($"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"{groupId}\",LANGUAGE=\"{Quote(language)}\",NAME=\"{Quote(name)}\""));
        line.Append(isDefault ? ",DEFAULT=YES" : ",DEFAULT=NO").Append(",AUTOSELECT=YES").Append(Inv($",CHANNELS=\"{a.Info.Channels}\""));
        if (a.Label?.DescribesVideo == true)
        {
            line.Append(",CHARACTERISTICS=\"public.accessibility.describes-video\"");
        }

        return line.Append(Inv($",URI=\"{PlaylistName(a)}\"\n")).ToString();
    }

    private static string CodecFamily(string codec) => codec switch
    {
        _ when codec.StartsWith("mp4a.", StringComparison.Ordinal) => "aac",
        "ec-3" => "ec3",
        "ac-3" => "ac3",
        _ => new string(codec.Where(char.IsAsciiLetterOrDigit).ToArray()),
    };

    /// <summary>The VIDEO-RANGE value: SDR, PQ or HLG.</summary>
    public static string VideoRange(Planning.DynamicRange range) => range switch
    {
        Planning.DynamicRange.Pq => "PQ",
        Planning.DynamicRange.Hlg => "HLG",
        _ => "SDR",
    };

    private static StringBuilder Header() => new StringBuilder("#EXTM3U\n").Append(Inv($"#EXT-X-VERSION:{Version}\n")).Append("#EXT-X-INDEPENDENT-SEGMENTS\n");

    private static string Quote(string s) => s.Replace("\"", "'", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
