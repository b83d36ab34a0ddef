using System.Text;
using System.Xml;
using System.Xml.Linq;
using static TranscodeFarm.Core.Drm.CpixNames;

namespace TranscodeFarm.Core.Drm;

internal static class CpixReader
{
    private static readonly XmlReaderSettings Settings = new()
    {
        // No DTD means no entity expansion ("billion laughs") and no external entities (file or URL reads).
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = CpixDocument.MaxDocumentChars,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    public static CpixDocument Read(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        if (xml.Length > CpixDocument.MaxDocumentChars)
        {
            throw new FormatException($"CPIX document is {xml.Length} characters, over the {CpixDocument.MaxDocumentChars} limit");
        }

        XDocument doc;
        try
        {
            using var text = new StringReader(xml);
            using var reader = XmlReader.Create(text, Settings);
            doc = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            throw new FormatException($"CPIX document is not acceptable XML: {ex.Message}", ex);
        }

        var root = doc.Root!;
        if (root.Name != Root)
        {
            throw new FormatException($"root element is {root.Name}, expected CPIX in namespace {Cpix}");
        }

        if (root.Element(DeliveryDataList) is not null || root.Descendants(EncryptedValue).Any())
        {
            throw new FormatException(
                "CPIX document has encrypted content keys (DeliveryDataList / pskc:EncryptedValue), which are not supported; request plain keys (PlainValue) over TLS");
        }

        var schemes = new Dictionary<Guid, string>();
        var rawKeys = ReadKeys(root, schemes);
        var tracks = ReadTracks(root, rawKeys);
        var keys = rawKeys.Select(k => new ContentKey(k.Key, k.Value, tracks.GetValueOrDefault(k.Key, ContentKey.AllTracks))).ToList();
        var drmSystems = ReadDrmSystems(root, rawKeys);
        return new CpixDocument((string?)root.Attribute("contentId"), keys, drmSystems, schemes);
    }

    private static Dictionary<Guid, byte[]> ReadKeys(XElement root, Dictionary<Guid, string> schemes)
    {
        var keys = new Dictionary<Guid, byte[]>();
        foreach (var element in root.Elements(ContentKeyList).Elements(ContentKeyElement))
        {
            var kid = ReadKid(element, "ContentKey");
            if (kid == Guid.Empty)
            {
                throw new FormatException("ContentKey has the all-zero kid, which no player accepts");
            }

            var plain = element.Element(Data)?.Element(Secret)?.Element(PlainValue)
                ?? throw new FormatException($"ContentKey {kid} has no Data/pskc:Secret/pskc:PlainValue (the key itself is missing)");
            var key = DecodeBase64(plain.Value, $"ContentKey {kid} PlainValue");
            if (key.Length != ContentKey.KeyLength)
            {
                throw new FormatException($"ContentKey {kid}: key is {key.Length} bytes, expected {ContentKey.KeyLength}");
            }

            if (!keys.TryAdd(kid, key))
            {
                throw new FormatException($"ContentKey {kid} appears twice");
            }

            if ((string?)element.Attribute("commonEncryptionScheme") is { } scheme)
            {
                schemes[kid] = scheme;
            }
        }

        if (keys.Count == 0)
        {
            throw new FormatException("CPIX document has no ContentKey in a ContentKeyList");
        }

        return keys;
    }

    // Only ContentKeyUsageRule@intendedTrackType is understood. Video/Audio/Bitrate filters under a rule are not
    // evaluated: the track type is taken to say the same thing, as key servers that write both intend. Period and label
    // filters mean something the track type cannot say, so they are refused rather than ignored.
    private static Dictionary<Guid, string> ReadTracks(XElement root, Dictionary<Guid, byte[]> keys)
    {
        var tracks = new Dictionary<Guid, string>();
        foreach (var rule in root.Elements(UsageRuleList).Elements(UsageRule))
        {
            var kid = ReadKid(rule, "ContentKeyUsageRule");
            if (!keys.ContainsKey(kid))
            {
                throw new FormatException($"ContentKeyUsageRule refers to key {kid}, which is not in the ContentKeyList");
            }

            var type = ((string?)rule.Attribute("intendedTrackType"))?.Trim();
            if (string.IsNullOrEmpty(type))
            {
                throw new FormatException($"ContentKeyUsageRule for key {kid} has no intendedTrackType; only rules with one are supported");
            }

            var track = type.ToLowerInvariant();
            if (!ContentKey.IsValidTrack(track))
            {
                throw new FormatException($"ContentKeyUsageRule for key {kid}: intendedTrackType \"{type}\" is not a track name (letters, digits, '-', '_')");
            }

            if (rule.Elements().FirstOrDefault(e => e.Name == KeyPeriodFilter || e.Name == LabelFilter) is { } unsupported)
            {
                throw new FormatException($"ContentKeyUsageRule for key {kid} has a {unsupported.Name.LocalName}; key rotation and label rules are not supported");
            }

            if (tracks.TryGetValue(kid, out var existing) && existing != track)
            {
                throw new FormatException($"key {kid} has usage rules for several track types ({existing}, {track}); only one per key is supported");
            }

            tracks[kid] = track;
        }

        return tracks;
    }

    private static List<CpixDrmSystem> ReadDrmSystems(XElement root, Dictionary<Guid, byte[]> keys)
    {
        var systems = new List<CpixDrmSystem>();
        foreach (var element in root.Elements(DrmSystemList).Elements(DrmSystemElement))
        {
            var kid = ReadKid(element, "DRMSystem");
            if (!keys.ContainsKey(kid))
            {
                throw new FormatException($"DRMSystem refers to key {kid}, which is not in the ContentKeyList");
            }

            var systemId = ReadGuid(element, "systemId", $"DRMSystem for key {kid}");
            var where = $"DRMSystem {systemId} for key {kid}";
            byte[]? pssh = null;
            if (element.Element(Pssh) is { } psshElement)
            {
                pssh = DecodeBase64(psshElement.Value, $"{where} PSSH");
                if (!PsshBox.TryParse(pssh, out var box, out var error))
                {
                    throw new FormatException($"{where}: PSSH is not a valid pssh box: {error}");
                }

                if (box.SystemId != systemId)
                {
                    throw new FormatException($"{where}: PSSH is for system {box.SystemId}");
                }
            }

            var protectionData = element.Element(ContentProtectionData) is { } cpd ? DecodeText(cpd.Value, $"{where} ContentProtectionData") : null;
            var hls = element.Elements(HlsSignalingData).Select(e => new HlsSignaling(ReadPlaylist(e, where), DecodeText(e.Value, $"{where} HLSSignalingData"))).ToList();
            systems.Add(new CpixDrmSystem(kid, systemId, pssh, protectionData, hls.Count > 0 ? hls : null));
        }

        return systems;
    }

    // CPIX: without @playlist the data is for media playlists.
    private static HlsPlaylistKind ReadPlaylist(XElement element, string where) => ((string?)element.Attribute("playlist"))?.Trim() switch
    {
        null or "media" => HlsPlaylistKind.Media,
        "master" => HlsPlaylistKind.Master,
        var other => throw new FormatException($"{where}: HLSSignalingData playlist=\"{other}\" is neither \"media\" nor \"master\""),
    };

    private static Guid ReadKid(XElement element, string what) => ReadGuid(element, "kid", what);

    private static Guid ReadGuid(XElement element, string attribute, string what)
    {
        var text = (string?)element.Attribute(attribute)
            ?? throw new FormatException($"{what} has no {attribute} attribute");
        if (!Guid.TryParseExact(text.Trim(), "D", out var id))
        {
            throw new FormatException($"{what}: {attribute} is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
        }

        return id;
    }

    private static byte[] DecodeBase64(string text, string what)
    {
        try
        {
            return Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            // The value may be a key: say which element is wrong, never what it held.
            throw new FormatException($"{what} is not valid base64");
        }
    }

    private static string DecodeText(string base64, string what)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(DecodeBase64(base64, what));
        }
        catch (DecoderFallbackException)
        {
            throw new FormatException($"{what} does not decode to UTF-8 text");
        }
    }
}
