using System.Globalization;
using System.Text;
using TranscodeFarm.Core.Subtitles;

namespace TranscodeFarm.Core.Packaging.Manifests;

/// <summary>
/// The subtitle part of HLS (RFC 8216 §4.3.4.1): one EXT-X-MEDIA TYPE=SUBTITLES per track in the group
/// <see cref="GroupId"/>, named on every variant by SUBTITLES="…", and one WebVTT media playlist per track.
/// </summary>
public static class HlsSubtitles
{
    public const string GroupId = "subs";

    /// <summary>The EXT-X-MEDIA lines of the master playlist (none without subtitles).</summary>
    public static IEnumerable<string> MediaTags(IReadOnlyList<SubtitleRendition> subtitles)
    {
        foreach (var s in subtitles)
        {
            var l = s.Label;
            var sb = new StringBuilder("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"").Append(GroupId).Append('"')
                .Append(",LANGUAGE=\"").Append(Quote(l.Language)).Append('"')
                .Append(",NAME=\"").Append(Quote(l.Name)).Append('"')
                .Append(",DEFAULT=").Append(l.Default ? "YES" : "NO")
                // FORCED=YES requires AUTOSELECT=YES; every track may be chosen by the viewer's language settings.
                .Append(",AUTOSELECT=YES")
                .Append(",FORCED=").Append(l.Forced ? "YES" : "NO");
            if (l.HearingImpaired)
            {
                sb.Append(",CHARACTERISTICS=\"").Append(SubtitleLabel.SdhCharacteristics).Append('"');
            }

            sb.Append(",URI=\"").Append(s.PlaylistName).Append('"');
            yield return sb.ToString();
        }
    }

    /// <summary>CEA-608 channel 1 in the video: no URI, the player reads the captions from the video's SEI.</summary>
    public static readonly string ClosedCaptionsTag =
        $"#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"{ClosedCaptions.GroupId}\",NAME=\"{ClosedCaptions.InstreamId}\",DEFAULT=NO,AUTOSELECT=YES,INSTREAM-ID=\"{ClosedCaptions.InstreamId}\"";

    /// <summary>The attribute every EXT-X-STREAM-INF gets when the asset has subtitles.</summary>
    public static string VariantAttribute(IReadOnlyList<SubtitleRendition>? subtitles) =>
        subtitles is { Count: > 0 } ? $",SUBTITLES=\"{GroupId}\"" : "";

    /// <summary>A VOD media playlist of WebVTT segments (no EXT-X-MAP: WebVTT segments are whole files).</summary>
    public static string Media(SubtitleRendition subtitles)
    {
        var longest = subtitles.Segments.Count == 0 ? 0 : subtitles.Segments.Max(s => s.DurationSeconds);
        var target = Math.Max(1, (int)Math.Round(longest, MidpointRounding.AwayFromZero));
        var sb = new StringBuilder("#EXTM3U\n")
            .Append(CultureInfo.InvariantCulture, $"#EXT-X-VERSION:{HlsWriter.Version}\n")
            .Append(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{target}\n")
            .Append("#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n");
        foreach (var s in subtitles.Segments)
        {
            sb.Append(CultureInfo.InvariantCulture, $"#EXTINF:{s.DurationSeconds:0.000000},\n{s.FileName}\n");
        }

        return sb.Append("#EXT-X-ENDLIST\n").ToString();
    }

    private static string Quote(string s) => s.Replace("\"", "'", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal);
}
