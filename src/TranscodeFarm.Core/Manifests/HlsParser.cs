using System.Globalization;

namespace TranscodeFarm.Core.Manifests;

/// <summary>Reads the parts of HLS playlists (RFC 8216) that packaging checks and the edge need.</summary>
public static class HlsParser
{
    public static HlsMasterPlaylist ParseMaster(string text)
    {
        int? version = null;
        var independent = false;
        var variants = new List<HlsVariant>();
        var media = new List<HlsRendition>();
        IReadOnlyDictionary<string, string>? pendingVariant = null;
        foreach (var raw in Lines(text))
        {
            var line = raw.Trim();
            if (line.StartsWith("#EXT-X-VERSION:", StringComparison.Ordinal))
            {
                version = ParseInt(line["#EXT-X-VERSION:".Length..]);
            }
            else if (line == "#EXT-X-INDEPENDENT-SEGMENTS")
            {
                independent = true;
            }
            else if (line.StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal))
            {
                pendingVariant = ParseAttributes(line["#EXT-X-STREAM-INF:".Length..]);
            }
            else if (line.StartsWith("#EXT-X-MEDIA:", StringComparison.Ordinal))
            {
                media.Add(new HlsRendition(ParseAttributes(line["#EXT-X-MEDIA:".Length..])));
            }
            else if (line.Length > 0 && line[0] != '#' && pendingVariant is not null)
            {
                variants.Add(new HlsVariant(line, pendingVariant));
                pendingVariant = null;
            }
        }

        return new HlsMasterPlaylist(version, independent, variants, media);
    }

    public static HlsMediaPlaylist ParseMedia(string text)
    {
        int? version = null, target = null;
        string? type = null, map = null;
        var end = false;
        double? pendingDuration = null;
        var segments = new List<HlsSegment>();
        foreach (var raw in Lines(text))
        {
            var line = raw.Trim();
            if (line.StartsWith("#EXT-X-VERSION:", StringComparison.Ordinal))
            {
                version = ParseInt(line["#EXT-X-VERSION:".Length..]);
            }
            else if (line.StartsWith("#EXT-X-TARGETDURATION:", StringComparison.Ordinal))
            {
                target = ParseInt(line["#EXT-X-TARGETDURATION:".Length..]);
            }
            else if (line.StartsWith("#EXT-X-PLAYLIST-TYPE:", StringComparison.Ordinal))
            {
                type = line["#EXT-X-PLAYLIST-TYPE:".Length..];
            }
            else if (line.StartsWith("#EXT-X-MAP:", StringComparison.Ordinal))
            {
                map = ParseAttributes(line["#EXT-X-MAP:".Length..]).GetValueOrDefault("URI");
            }
            else if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                var value = line["#EXTINF:".Length..];
                var comma = value.IndexOf(',', StringComparison.Ordinal);
                pendingDuration = double.Parse(comma >= 0 ? value[..comma] : value, NumberStyles.Float, CultureInfo.InvariantCulture);
            }
            else if (line == "#EXT-X-ENDLIST")
            {
                end = true;
            }
            else if (line.Length > 0 && line[0] != '#' && pendingDuration is { } d)
            {
                segments.Add(new HlsSegment(line, d));
                pendingDuration = null;
            }
        }

        return new HlsMediaPlaylist(version, target, type, map, end, segments);
    }

    /// <summary>Parses an attribute list: KEY=value,KEY="quoted, value".</summary>
    public static IReadOnlyDictionary<string, string> ParseAttributes(string list)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < list.Length)
        {
            var eq = list.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            var key = list[i..eq].Trim();
            string value;
            if (eq + 1 < list.Length && list[eq + 1] == '"')
            {
                var close = list.IndexOf('"', eq + 2);
                close = close < 0 ? list.Length : close;
                value = list[(eq + 2)..close];
                i = close + 1;
            }
            else
            {
                var comma = list.IndexOf(',', eq + 1);
                comma = comma < 0 ? list.Length : comma;
                value = list[(eq + 1)..comma];
                i = comma;
            }

            result[key] = value;
            while (i < list.Length && (list[i] == ',' || list[i] == ' '))
            {
                i++;
            }
        }

        return result;
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n');

    private static int? ParseInt(string s) => int.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
}
