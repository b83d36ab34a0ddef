using System.Globalization;
using System.Text;

namespace TranscodeFarm.Core.Manifests;

/// <summary>
/// Turns the playlists ffmpeg's DASH muxer writes into proper VOD playlists: marks segments independent
/// (every segment starts on a keyframe), declares the playlist type, drops wall-clock PROGRAM-DATE-TIME
/// tags that describe the encode, not the content, and in the master sets BANDWIDTH to the peak rate
/// (RFC 8216 §4.3.4.2) keeping ffmpeg's average as AVERAGE-BANDWIDTH.
/// </summary>
public static class HlsPlaylistFinisher
{
    /// <param name="peakBandwidth">Variant URI → peak bits per second (video maxrate + audio), or null to keep ffmpeg's value.</param>
    public static string FinishMaster(string text, IReadOnlyDictionary<string, long>? peakBandwidth = null)
    {
        var lines = Normalize(text);
        for (var i = 0; i < lines.Count - 1; i++)
        {
            if (lines[i].StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal)
                && peakBandwidth?.TryGetValue(lines[i + 1].Trim(), out var peak) == true)
            {
                lines[i] = WithPeak(lines[i], peak);
            }
        }

        return Rewrite(lines, isMedia: false);
    }

    public static string FinishMedia(string text)
    {
        var lines = Normalize(text);
        FixTargetDuration(lines);
        return Rewrite(lines, isMedia: true);
    }

    /// <summary>
    /// RFC 8216 §4.3.3.1: every EXTINF rounded to the nearest integer must be ≤ TARGETDURATION, which is at least 1.
    /// ffmpeg 5.1 writes 0 for sub-second segments (a source shorter than half a second).
    /// </summary>
    private static void FixTargetDuration(List<string> lines)
    {
        const string tag = "#EXT-X-TARGETDURATION:";
        var longest = lines.Where(l => l.StartsWith("#EXTINF:", StringComparison.Ordinal))
            .Select(l => double.TryParse(l["#EXTINF:".Length..].Split(',')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0)
            .DefaultIfEmpty(0)
            .Max();
        var index = lines.FindIndex(l => l.StartsWith(tag, StringComparison.Ordinal));
        if (index >= 0 && int.TryParse(lines[index][tag.Length..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var target))
        {
            var needed = Math.Max(1, (int)Math.Round(longest, MidpointRounding.AwayFromZero));
            lines[index] = tag + Math.Max(target, needed).ToString(CultureInfo.InvariantCulture);
        }
    }

    private static string WithPeak(string streamInf, long peak)
    {
        var attributes = HlsParser.ParseAttributes(streamInf["#EXT-X-STREAM-INF:".Length..]);
        if (attributes.ContainsKey("AVERAGE-BANDWIDTH") || !attributes.TryGetValue("BANDWIDTH", out var average))
        {
            return streamInf; // already finished
        }

        var peakText = Math.Max(peak, long.Parse(average, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture);
        return streamInf.Replace($"BANDWIDTH={average}", $"BANDWIDTH={peakText},AVERAGE-BANDWIDTH={average}", StringComparison.Ordinal);
    }

    private static List<string> Normalize(string text) => text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

    private static string Rewrite(List<string> lines, bool isMedia)
    {
        var sb = new StringBuilder();
        var inserted = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("#EXT-X-PROGRAM-DATE-TIME", StringComparison.Ordinal)
                || line == "#EXT-X-INDEPENDENT-SEGMENTS"
                || line.StartsWith("#EXT-X-PLAYLIST-TYPE", StringComparison.Ordinal))
            {
                continue;
            }

            sb.Append(line).Append('\n');
            if (!inserted && line.StartsWith("#EXT-X-VERSION", StringComparison.Ordinal))
            {
                sb.Append("#EXT-X-INDEPENDENT-SEGMENTS\n");
                if (isMedia)
                {
                    sb.Append("#EXT-X-PLAYLIST-TYPE:VOD\n");
                }

                inserted = true;
            }
        }

        // Collapse the blank lines the split leaves at the end into a single trailing newline.
        return sb.ToString().TrimEnd('\n') + "\n";
    }
}
