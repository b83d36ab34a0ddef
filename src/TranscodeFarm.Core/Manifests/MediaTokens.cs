using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace TranscodeFarm.Core.Manifests;

/// <summary>
/// Carries a viewer's playback token through a manifest: when the edge serves a playlist or MPD asked for with
/// ?token=..., every relative URI in it that a player will fetch (playlists, init and media segments, keys) gets the
/// same token, so a player that only knows the manifest URL can fetch the whole asset from an edge that requires
/// signed URLs. Stored manifests never contain tokens; this is applied per response. Absolute URIs are left alone so
/// the token never travels to another host.
/// </summary>
public static class MediaTokens
{
    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";

    /// <summary>Element and attribute pairs of an MPD that hold a URL (or URL template) a player fetches.</summary>
    private static readonly (string Element, string Attribute)[] DashUrlAttributes =
    [
        ("SegmentTemplate", "media"),
        ("SegmentTemplate", "initialization"),
        ("SegmentTemplate", "index"),
        ("SegmentURL", "media"),
        ("SegmentURL", "index"),
        ("Initialization", "sourceURL"),
        ("RepresentationIndex", "sourceURL"),
    ];

    /// <summary>
    /// Adds the token to URI lines (variant playlists, segments) and to the URI="..." attribute of every tag
    /// (EXT-X-MEDIA, -MAP, -KEY, -SESSION-KEY, -I-FRAME-STREAM-INF, ...). Line endings, LF or CRLF, are kept.
    /// </summary>
    public static string ApplyToHls(string playlist, string token)
    {
        ArgumentNullException.ThrowIfNull(playlist);
        var query = Query(token);
        var sb = new StringBuilder(playlist.Length + 256);
        var lines = playlist.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var crlf = line.EndsWith('\r');
            sb.Append(HlsLine(crlf ? line[..^1] : line, query));
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

    /// <summary>
    /// Adds the token to the segment templates and URLs, initialization and index URLs and relative BaseURLs of an MPD.
    /// $...$ template identifiers survive: the escaped token contains no '$'. Throws <see cref="XmlException"/> when
    /// the text is not XML (a DTD included: an MPD has none, and we resolve nothing external).
    /// </summary>
    public static string ApplyToDash(string mpd, string token)
    {
        ArgumentNullException.ThrowIfNull(mpd);
        var query = Query(token);
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        XDocument doc;
        using (var reader = XmlReader.Create(new StringReader(mpd), settings))
        {
            doc = XDocument.Load(reader, LoadOptions.PreserveWhitespace);
        }

        foreach (var (element, attribute) in DashUrlAttributes)
        {
            foreach (var a in doc.Descendants(Dash + element).Select(e => e.Attribute(attribute)).OfType<XAttribute>())
            {
                if (TokenUri.Needs(a.Value))
                {
                    a.Value = TokenUri.With(a.Value, query);
                }
            }
        }

        foreach (var baseUrl in doc.Descendants(Dash + "BaseURL"))
        {
            var url = baseUrl.Value.Trim();
            if (TokenUri.Needs(url))
            {
                baseUrl.Value = TokenUri.With(url, query);
            }
        }

        return Serialize(doc);
    }

    private static string Query(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);

        // Fully escaped: no '&', '#' or '"' to break the URI or a quoted HLS attribute, no '$' for a DASH template.
        return "token=" + Uri.EscapeDataString(token);
    }

    private static string HlsLine(string line, string query)
    {
        if (line.StartsWith("#EXT", StringComparison.Ordinal))
        {
            return HlsUriAttribute(line, query);
        }

        // Comments and blank lines carry no URI.
        if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line))
        {
            return line;
        }

        var uri = line.Trim();
        return TokenUri.Needs(uri) ? TokenUri.With(uri, query) : line;
    }

    /// <summary>
    /// Rewrites a tag's URI="..." attribute. The attribute list is scanned (RFC 8216 4.2) rather than searched, so
    /// neither SERVER-URI nor a quoted value that happens to contain URI=" is touched; a tag whose value is not an
    /// attribute list (EXTINF's duration and title) is returned as it is.
    /// </summary>
    private static string HlsUriAttribute(string line, string query)
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
                if (name.SequenceEqual("URI") && TokenUri.Needs(value))
                {
                    // One URI per tag: rewrite it and keep the rest of the line as it was.
                    return string.Concat(line.AsSpan(0, i + 1), TokenUri.With(value, query), line.AsSpan(close));
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

    /// <summary>Writes the document back as it came: declaration, whitespace and namespace prefixes kept.</summary>
    private static string Serialize(XDocument doc)
    {
        var sb = new StringBuilder();
        if (doc.Declaration is { } declaration)
        {
            sb.Append(declaration);
        }

        foreach (var node in doc.Nodes())
        {
            sb.Append(node.ToString(SaveOptions.DisableFormatting));
        }

        return sb.ToString();
    }
}
