namespace TranscodeFarm.Core.Packaging.Encryption;

/// <summary>ISO/IEC 23001-7 protection schemes.</summary>
public enum EncryptionScheme
{
    /// <summary>AES-128 CTR, per-sample 8-byte IVs: DASH with Widevine, PlayReady, ClearKey.</summary>
    Cenc,

    /// <summary>AES-128 CBC with a 1:9 pattern on video and a constant IV: FairPlay/HLS, and modern Widevine/PlayReady.</summary>
    Cbcs,
}

/// <summary>How one track is encrypted. The key never leaves this record except into the cipher.</summary>
public sealed record TrackEncryption(EncryptionScheme Scheme, Guid KeyId, byte[] Key, byte[] Iv, IReadOnlyList<byte[]> PsshBoxes)
{
    /// <summary>Segments that start before this many seconds stay clear (signalled with a 'seig' sample group).</summary>
    public double ClearLeadSeconds { get; init; }

    public override string ToString() => $"{Scheme} kid={KeyId}";
}

/// <summary>One (clear, protected) pair of a sample's subsample map.</summary>
public readonly record struct Subsample(ushort Clear, uint Protected);

/// <summary>What the senc box records for one sample.</summary>
public sealed record SampleAuxInfo(byte[] Iv, Subsample[]? Subsamples)
{
    public int Size => Iv.Length + (Subsamples is { } s ? 2 + (6 * s.Length) : 0);
}
