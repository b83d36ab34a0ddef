using System.Globalization;
using System.Text;

namespace TranscodeFarm.Core.Packaging.Manifests;

/// <summary>
/// Writes HLS over the packaged CMAF segments (RFC 8216): a master playlist with measured peak and average
/// bandwidths, codecs, resolutions and an audio group, and one VOD media playlist per track.
/// </summary>
public static class HlsWriter
{
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

        if (video.Count == 0)
        {
            foreach (var a in audio)
            {
                sb.Append(Inv($"#EXT-X-STREAM-INF:BANDWIDTH={a.PeakBitrate},AVERAGE-BANDWIDTH={a.AverageBitrate},CODECS=\"{a.Info.Codec}\"{HlsSubtitles.VariantAttribute(subtitles)}\n"));
                sb.Append(PlaylistName(a)).Append('\n');
            }

            return sb.ToString();
        }

        for (var i = 0; i < audio.Count; i++)
        {
            var a = audio[i];
            var isDefault = i == 0 ? "YES" : "NO";
            sb.Append(Inv($"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"{Quote(a.Name)}\",LANGUAGE=\"und\",DEFAULT={isDefault},AUTOSELECT=YES,CHANNELS=\"{a.Info.Channels}\",URI=\"{PlaylistName(a)}\"\n"));
        }

        var audioPeak = audio.Count == 0 ? 0 : audio.Max(a => a.PeakBitrate);
        var audioAverage = audio.Count == 0 ? 0 : audio.Max(a => a.AverageBitrate);
        var audioCodec = audio.Count == 0 ? null : audio[0].Info.Codec;
        foreach (var v in video.OrderByDescending(v => v.PeakBitrate))
        {
            var codecs = audioCodec is null ? v.Info.Codec : $"{v.Info.Codec},{audioCodec}";
            sb.Append(Inv($"#EXT-X-STREAM-INF:BANDWIDTH={v.PeakBitrate + audioPeak},AVERAGE-BANDWIDTH={v.AverageBitrate + audioAverage},CODECS=\"{codecs}\",RESOLUTION={v.Info.Width}x{v.Info.Height}"));
            if (v.TypicalSampleDuration > 0)
            {
                sb.Append(Inv($",FRAME-RATE={(double)v.Info.Timescale / v.TypicalSampleDuration:0.000}"));
            }

            // Every variant says its range (RFC 8216bis): a player on an SDR display skips PQ and HLG variants.
            sb.Append(",VIDEO-RANGE=").Append(VideoRange(v.Range));
            if (audio.Count > 0)
            {
                sb.Append(",AUDIO=\"audio\"");
            }

            sb.Append(HlsSubtitles.VariantAttribute(subtitles));
            if (withCaptions)
            {
                // RFC 8216 4.3.4.2: a variant without them says NONE once any variant has a CLOSED-CAPTIONS group.
                sb.Append(captioned!.Contains(v.Name) ? $",CLOSED-CAPTIONS=\"{Subtitles.ClosedCaptions.GroupId}\"" : ",CLOSED-CAPTIONS=NONE");
            }

            sb.Append('\n').Append(PlaylistName(v)).Append('\n');
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
