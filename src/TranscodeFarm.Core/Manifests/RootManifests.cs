using System.Xml;
using System.Xml.Linq;

namespace TranscodeFarm.Core.Manifests;

/// <summary>
/// An asset's root manifests ("asset/master.m3u8", "asset/manifest.mpd") are its published generation's top manifests,
/// stored plain in "asset/g7/" (playable there as they are), served at the root with every relative URI led into the
/// generation's folder: HLS URI lines and URI="..." attributes get "g7/"; an MPD gets a BaseURL "g7/" (or its relative
/// BaseURLs the prefix). Root-relative ("/keys/..."), absolute and data: URIs are left alone. Pure; the edge applies it
/// per response and the worker to the copies it writes at the bucket's root.
/// </summary>
public static class RootManifests
{
    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";

    /// <summary>The root form of a top manifest (<paramref name="isDash"/>: an MPD), URIs led into <paramref name="folder"/> ("g7").</summary>
    public static string ForRoot(string manifest, bool isDash, string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var prefix = folder.TrimEnd('/') + "/";
        return isDash ? Mpd(manifest, prefix) : HlsUris.Rewrite(manifest, uri => IsRelativePath(uri) ? prefix + uri : uri);
    }

    /// <summary>Relative to the manifest's own folder: no scheme, not "//host", not "/root".</summary>
    private static bool IsRelativePath(string uri) => TokenUri.Needs(uri) && !uri.StartsWith('/');

    private static string Mpd(string mpd, string prefix)
    {
        var doc = MpdXml.Load(mpd);
        var root = doc.Root ?? throw new XmlException("the MPD has no root element");
        var bases = root.Elements(Dash + "BaseURL").ToList();
        if (bases.Count == 0)
        {
            // Schema order: ProgramInformation*, BaseURL*, Location*, ... Period+.
            var after = root.Elements(Dash + "ProgramInformation").LastOrDefault();
            var element = new XElement(Dash + "BaseURL", prefix);
            if (after is null)
            {
                root.AddFirst(element);
            }
            else
            {
                after.AddAfterSelf(element);
            }
        }
        else
        {
            foreach (var b in bases.Where(b => IsRelativePath(b.Value.Trim())))
            {
                b.Value = prefix + b.Value.Trim();
            }
        }

        return MpdXml.Serialize(doc);
    }
}
