namespace TranscodeFarm.Core.Drm;

/// <summary>Which HLS playlist a CPIX HLSSignalingData element is meant for.</summary>
public enum HlsPlaylistKind
{
    Media,
    Master,
}

/// <summary>Decoded HLSSignalingData: the playlist lines (usually #EXT-X-KEY / #EXT-X-SESSION-KEY) to insert.</summary>
public sealed record HlsSignaling(HlsPlaylistKind Playlist, string Lines);

/// <summary>
/// One CPIX DRMSystem: the signaling one DRM system needs for one key. <see cref="Pssh"/> is a whole pssh box;
/// <see cref="ContentProtectionData"/> is the decoded XML to put inside a DASH ContentProtection element.
/// </summary>
public sealed record CpixDrmSystem(
    Guid KeyId,
    Guid SystemId,
    byte[]? Pssh = null,
    string? ContentProtectionData = null,
    IReadOnlyList<HlsSignaling>? HlsSignaling = null);

/// <summary>
/// A DASH-IF CPIX 2.3 document (urn:dashif:org:cpix) with clear-text content keys. Usage rules are understood only as
/// far as ContentKeyUsageRule@intendedTrackType, which becomes <see cref="ContentKey.Track"/>; a key without a rule is
/// for all tracks.
/// </summary>
public sealed record CpixDocument(
    string? ContentId,
    IReadOnlyList<ContentKey> ContentKeys,
    IReadOnlyList<CpixDrmSystem> DrmSystems,
    IReadOnlyDictionary<Guid, string> EncryptionSchemes)
{
    /// <summary>Key-exchange documents are a few KiB; anything near this is a mistake or an attack.</summary>
    public const int MaxDocumentChars = 1024 * 1024;

    /// <summary>Parses and checks a CPIX document; a <see cref="FormatException"/> names what is wrong.</summary>
    public static CpixDocument Parse(string xml) => CpixReader.Read(xml);

    /// <summary>
    /// A CPIX 2.3 document with plain keys, DRM signaling and one usage rule per key whose track is not "all",
    /// for handing keys to a license server. <see cref="Parse"/> reads it back to the same keys and systems.
    /// </summary>
    public static string Write(
        string contentId,
        IReadOnlyList<ContentKey> keys,
        IReadOnlyList<CpixDrmSystem> drmSystems,
        string? commonEncryptionScheme = null) => CpixWriter.Write(contentId, keys, drmSystems, commonEncryptionScheme);
}
