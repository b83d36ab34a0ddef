using System.Text;

namespace TranscodeFarm.Core.Manifests;

/// <summary>
/// Walks the URIs of an HLS playlist a player fetches: URI lines (variant playlists, segments) and the URI="..."
/// attribute of every tag (EXT-X-MEDIA, -MAP, -KEY, -SESSION-KEY, -I-FRAME-STREAM-INF, ...), and replaces each by what
/// a map returns. Line endings, LF or CRLF, are kept. Shared by token carrying and root manifests.
/// </summary>
internal static class HlsUris
{
    public static string Rewrite(string playlist, Func<string, string> map)
    {
        var sb = new StringBuilder(playlist.Length + 256);
        var lines = playlist.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var crlf = line.EndsWith('\r');
            sb.Append(Line(crlf ? line[..^1] : line, map));
            if (crlf)
            {
                sb.Append('\r');
            }

            if (i < lines.Length - 1)
            {
                sb.Append('\n');
            }
        }

        return sb.ToString();
    }

    private static string Line(string line, Func<string, string> map)
    {
        if (line.StartsWith("#EXT", StringComparison.Ordinal))
        {
            return UriAttribute(line, map);
        }

        // Comments and blank lines carry no URI.
        if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line))
        {
            return line;
        }

        var uri = line.Trim();
        var mapped = map(uri);
        return ReferenceEquals(mapped, uri) || mapped == uri ? line : mapped;
    }

    /// <summary>
    /// Rewrites a tag's URI="..." attribute. The attribute list is scanned (RFC 8216 4.2) rather than searched, so
    /// neither SERVER-URI nor a quoted value that happens to contain URI=" is touched; a tag whose value is not an
    /// attribute list (EXTINF's duration and title) is returned as it is.
    /// </summary>
    private static string UriAttribute(string line, Func<string, string> map)
    {
        var i = line.IndexOf(':', StringComparison.Ordinal) + 1;
        if (i == 0)
        {
            return line;
        }

        while (i < line.Length)
        {
            var nameStart = i;
            while (i < line.Length && (char.IsAsciiLetterUpper(line[i]) || char.IsAsciiDigit(line[i]) || line[i] == '-'))
            {
                i++;
            }

            if (i == nameStart || i >= line.Length || line[i] != '=')
            {
                return line;
            }

            var name = line.AsSpan(nameStart, i - nameStart);
            i++;
            if (i < line.Length && line[i] == '"')
            {
                var close = line.IndexOf('"', i + 1);
                if (close < 0)
                {
                    return line;
                }

                var value = line[(i + 1)..close];
                if (name.SequenceEqual("URI"))
                {
                    // One URI per tag: rewrite it and keep the rest of the line as it was.
                    return string.Concat(line.AsSpan(0, i + 1), map(value), line.AsSpan(close));
                }

                i = close + 1;
            }
            else
            {
                var comma = line.IndexOf(',', i);
                i = comma < 0 ? line.Length : comma;
            }

            if (i < line.Length && line[i++] != ',')
            {
                return line;
            }
        }

        return line;
    }
}
