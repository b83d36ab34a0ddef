using System.Text;
using System.Xml.Linq;
using static TranscodeFarm.Core.Drm.CpixNames;

namespace TranscodeFarm.Core.Drm;

internal static class CpixWriter
{
    public static string Write(string contentId, IReadOnlyList<ContentKey> keys, IReadOnlyList<CpixDrmSystem> drmSystems, string? commonEncryptionScheme)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contentId);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(drmSystems);
        if (keys.Count == 0)
        {
            throw new ArgumentException("a CPIX document needs at least one content key", nameof(keys));
        }

        if (keys.Select(k => k.KeyId).Distinct().Count() != keys.Count)
        {
            throw new ArgumentException("key IDs must be unique", nameof(keys));
        }

        if (drmSystems.FirstOrDefault(s => !keys.Any(k => k.KeyId == s.KeyId)) is { } orphan)
        {
            throw new ArgumentException($"DRM system {orphan.SystemId} refers to key {orphan.KeyId}, which is not among the keys", nameof(drmSystems));
        }

        var root = new XElement(
            Root,
            new XAttribute(XNamespace.Xmlns + "cpix", Cpix),
            new XAttribute(XNamespace.Xmlns + "pskc", Pskc),
            new XAttribute("contentId", contentId),
            new XAttribute("version", "2.3"),
            new XElement(ContentKeyList, keys.Select(k => KeyElement(k, commonEncryptionScheme))));
        if (drmSystems.Count > 0)
        {
            root.Add(new XElement(DrmSystemList, drmSystems.Select(SystemElement)));
        }

        var rules = keys.Where(k => k.Track != ContentKey.AllTracks).ToList();
        if (rules.Count > 0)
        {
            root.Add(new XElement(
                UsageRuleList,
                rules.Select(k => new XElement(UsageRule, new XAttribute("kid", Kid(k.KeyId)), new XAttribute("intendedTrackType", k.Track.ToUpperInvariant())))));
        }

        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.ToString();
    }

    private static XElement KeyElement(ContentKey key, string? scheme) => new(
        ContentKeyElement,
        new XAttribute("kid", Kid(key.KeyId)),
        scheme is null ? null : new XAttribute("commonEncryptionScheme", scheme),
        new XElement(Data, new XElement(Secret, new XElement(PlainValue, Convert.ToBase64String(key.Key)))));

    // Child order follows the CPIX schema sequence: PSSH, ContentProtectionData, ..., HLSSignalingData.
    private static XElement SystemElement(CpixDrmSystem system) => new(
        DrmSystemElement,
        new XAttribute("kid", Kid(system.KeyId)),
        new XAttribute("systemId", Kid(system.SystemId)),
        system.Pssh is null ? null : new XElement(Pssh, Convert.ToBase64String(system.Pssh)),
        system.ContentProtectionData is null ? null : new XElement(ContentProtectionData, Base64Text(system.ContentProtectionData)),
        system.HlsSignaling?.Select(h => new XElement(
            HlsSignalingData,
            new XAttribute("playlist", h.Playlist == HlsPlaylistKind.Master ? "master" : "media"),
            Base64Text(h.Lines))));

    private static string Kid(Guid id) => id.ToString("D");

    private static string Base64Text(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
