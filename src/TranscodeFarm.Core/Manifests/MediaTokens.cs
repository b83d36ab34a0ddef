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
        return HlsUris.Rewrite(playlist, uri => TokenUri.Needs(uri) ? TokenUri.With(uri, query) : uri);
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
        var doc = MpdXml.Load(mpd);

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

        return MpdXml.Serialize(doc);
    }

    private static string Query(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);

        // Fully escaped: no '&', '#' or '"' to break the URI or a quoted HLS attribute, no '$' for a DASH template.
        return "token=" + Uri.EscapeDataString(token);
    }
}
