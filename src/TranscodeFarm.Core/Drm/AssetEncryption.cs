using System.Security.Cryptography;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Encryption;

namespace TranscodeFarm.Core.Drm;

/// <summary>
/// One asset's protection, decided before the encode: which key and IV each track gets, the PSSH boxes of each
/// DRM system, and the HLS key tags. Pure: keys come in, nothing is stored or logged here.
/// </summary>
public sealed class AssetEncryption
{
    public static readonly AssetEncryption None = new(new DrmSettings { Scheme = "none", Systems = [] }, "", [], []);

    private readonly DrmSettings _settings;
    private readonly string _assetId;
    private readonly IReadOnlyList<ContentKey> _keys;
    private readonly IReadOnlyList<CpixDrmSystem> _cpixSystems;
    private readonly Dictionary<int, TrackEncryption> _tracks = [];
    private readonly Dictionary<int, ContentKey> _aes128Keys = [];

    /// <param name="cpixSystems">PSSH boxes from an imported CPIX document, used verbatim where present.</param>
    public AssetEncryption(DrmSettings settings, string assetId, IReadOnlyList<ContentKey> keys, IReadOnlyList<CpixDrmSystem> cpixSystems)
    {
        _settings = settings;
        _assetId = assetId;
        _keys = keys;
        _cpixSystems = cpixSystems;
        Systems = settings.Systems.Select(DrmSystems.Parse).Distinct().ToList();
        if (settings.Encrypts && keys.Count == 0)
        {
            throw new ArgumentException("an encrypted asset needs at least one content key", nameof(keys));
        }

        // Fail before the encode, not in the middle of it: every key must have a PSSH for every system.
        if (settings.Scheme is "cenc" or "cbcs")
        {
            foreach (var key in keys)
            {
                _ = PsshBoxes(key.KeyId, EncryptionScheme.Cenc);
            }
        }
    }

    public IReadOnlyList<DrmSystem> Systems { get; }

    public bool Encrypts => _settings.Encrypts;

    /// <summary>Whole-segment AES-128 is an HLS-only format: no MPD is written over those segments.</summary>
    public bool WritesDash => _settings.Scheme != "aes-128";

    public bool WholeSegmentAes => _settings.Scheme == "aes-128";

    /// <summary>The keys this asset uses (to link them to the asset in the key store).</summary>
    public IReadOnlyList<ContentKey> Keys => _keys;

    /// <summary>Path of the edge's raw-key endpoint for a KID (HLS AES-128 and ClearKey "identity").</summary>
    public string KeyUri(Guid kid) => $"/keys/{_assetId}/{kid:N}";

    /// <summary>CENC parameters for one track (by its index in the encode), or null when it stays clear.</summary>
    public TrackEncryption? For(TrackInfo track, int index)
    {
        if (_settings.Scheme is not ("cenc" or "cbcs"))
        {
            return null;
        }

        if (_tracks.TryGetValue(index, out var existing))
        {
            return existing;
        }

        var key = TrackKeySelector.Select(_keys, track.Kind == TrackKind.Audio, track.Height);
        var scheme = _settings.Scheme == "cbcs" ? EncryptionScheme.Cbcs : EncryptionScheme.Cenc;
        var iv = RandomNumberGenerator.GetBytes(scheme == EncryptionScheme.Cbcs ? 16 : 8);
        var encryption = new TrackEncryption(scheme, key.KeyId, key.Key, iv, PsshBoxes(key.KeyId, scheme))
        {
            ClearLeadSeconds = _settings.ClearLeadSeconds,
        };
        _tracks[index] = encryption;
        return encryption;
    }

    /// <summary>The key that encrypts a track's whole segments under "aes-128", or null.</summary>
    public ContentKey? Aes128KeyFor(bool isAudio, int height, int index)
    {
        if (!WholeSegmentAes)
        {
            return null;
        }

        if (!_aes128Keys.TryGetValue(index, out var key))
        {
            key = TrackKeySelector.Select(_keys, isAudio, height);
            _aes128Keys[index] = key;
        }

        return key;
    }

    /// <summary>One pssh box per signalled system that has one (FairPlay has none).</summary>
    private List<byte[]> PsshBoxes(Guid kid, EncryptionScheme scheme)
    {
        var boxes = new List<byte[]>();
        foreach (var system in Systems.Where(s => s != DrmSystem.FairPlay))
        {
            var fromCpix = _cpixSystems.FirstOrDefault(c => c.KeyId == kid && c.SystemId == system.SystemId())?.Pssh;
            boxes.Add(fromCpix ?? system switch
            {
                DrmSystem.ClearKey => PsshBox.ForClearKey([kid]),
                DrmSystem.Widevine => PsshBox.ForWidevine([kid], scheme == EncryptionScheme.Cbcs ? "cbcs" : "cenc"),
                _ => throw new ArgumentException(
                    $"{system.Name()} signaling needs its PSSH from a CPIX document (import one with `transcodefarm keys import` and set drm.keySet)"),
            });
        }

        return boxes;
    }

    /// <summary>Master-playlist EXT-X-SESSION-KEY lines: none (the media playlists carry the keys).</summary>
    public IReadOnlyList<string> HlsSessionKeys() => [];

    /// <summary>Sample-encryption key tags of a media playlist, one per system (players pick theirs by KEYFORMAT).</summary>
    public IReadOnlyList<string> HlsKeysBeforeMap(PackagedTrack track)
    {
        if (track.Encryption is not { } e)
        {
            return [];
        }

        var method = e.Scheme == EncryptionScheme.Cbcs ? "SAMPLE-AES" : "SAMPLE-AES-CTR";
        var kidHex = Convert.ToHexStringLower(e.KeyId.ToByteArray(bigEndian: true));
        var lines = new List<string>();
        foreach (var system in Systems)
        {
            var pssh = e.PsshBoxes.FirstOrDefault(b => PsshBox.TryParse(b, out var p, out _) && p.SystemId == system.SystemId());
            switch (system)
            {
                case DrmSystem.ClearKey:
                    // shaka-player reads ClearKey from KEYFORMAT="identity" (the URI returns the raw key); hls.js from
                    // KEYFORMAT="org.w3.clearkey" and a license server. Both tags for 'cenc', each ignored by the other
                    // player; for 'cbcs' hls.js takes the identity tag whatever the order and fails, so only the
                    // standard one is written (shaka plays ClearKey cbcs from the MPD).
                    if (e.Scheme == EncryptionScheme.Cenc)
                    {
                        lines.Add($"#EXT-X-KEY:METHOD={method},URI=\"{KeyUri(e.KeyId)}\",KEYFORMAT=\"identity\"");
                    }

                    // hls.js reads the KID from the data: URI (16 raw bytes, base64), not a PSSH box.
                    lines.Add($"#EXT-X-KEY:METHOD={method},URI=\"data:text/plain;base64,{Convert.ToBase64String(e.KeyId.ToByteArray(bigEndian: true))}\",KEYID=0x{kidHex},KEYFORMAT=\"org.w3.clearkey\",KEYFORMATVERSIONS=\"1\"");
                    break;
                case DrmSystem.Widevine:
                    lines.Add($"#EXT-X-KEY:METHOD={method},URI=\"data:text/plain;base64,{Convert.ToBase64String(pssh!)}\",KEYID=0x{kidHex},KEYFORMAT=\"urn:uuid:{DrmSystems.WidevineId:D}\",KEYFORMATVERSIONS=\"1\"");
                    break;
                case DrmSystem.PlayReady when pssh is not null && PsshBox.TryParse(pssh, out var pr, out _):
                    // The PlayReady Object travels as the data: URI (UTF-16 XML inside, base64 outside).
                    lines.Add($"#EXT-X-KEY:METHOD={method},URI=\"data:text/plain;charset=UTF-16;base64,{Convert.ToBase64String(pr.Data)}\",KEYFORMAT=\"com.microsoft.playready\",KEYFORMATVERSIONS=\"1\"");
                    break;
                case DrmSystem.FairPlay:
                    lines.Add($"#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"skd://{kidHex}\",KEYFORMAT=\"com.apple.streamingkeydelivery\",KEYFORMATVERSIONS=\"1\"");
                    break;
            }
        }

        return lines;
    }

    /// <summary>Whole-segment AES-128 key tag: after EXT-X-MAP, so the init segment stays clear.</summary>
    public IReadOnlyList<string> HlsKeysAfterMap(PackagedTrack track) =>
        _aes128Keys.TryGetValue(int.Parse(track.Id, System.Globalization.CultureInfo.InvariantCulture), out var key)
            ? [$"#EXT-X-KEY:METHOD=AES-128,URI=\"{KeyUri(key.KeyId)}\""]
            : [];
}
