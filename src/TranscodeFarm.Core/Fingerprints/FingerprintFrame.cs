namespace TranscodeFarm.Core.Fingerprints;

/// <summary>One sampled frame of a video fingerprint: when it was taken (seconds from the start), its hash and quality.</summary>
public readonly record struct FingerprintFrame(double TimeSeconds, Hash256 Hash, int Quality)
{
    public bool IsUsable => Quality >= FrameHashResult.MinUsableQuality;

    /// <summary>
    /// The hash of the frame mirrored left-right, when the extractor computed it (it costs 256 sign flips): a query
    /// carries it so a flipped copy finds its original (issue 17). Not stored (the stored form is unchanged: indexed
    /// frames need only their own hash), and not part of equality, so a fingerprint read back from storage still
    /// equals the one that was written.
    /// </summary>
    public Hash256 MirroredHash { get; init; }

    public bool HasMirroredHash => MirroredHash != default;

    /// <summary>
    /// The hash of the frame's centre enlarged to the full frame (<see cref="FrameHash.CentreFraction"/>): what a copy
    /// cropped by 10% hashes to. Indexed as a second view of the asset (issue 17); stored since binary version 2, so it
    /// is part of equality. Default when not computed (version-1 rows).
    /// </summary>
    public Hash256 CentreHash { get; init; }

    public bool HasCentreHash => CentreHash != default;

    public bool Equals(FingerprintFrame other) =>
        TimeSeconds.Equals(other.TimeSeconds) && Hash.Equals(other.Hash) && Quality == other.Quality && CentreHash.Equals(other.CentreHash);

    public override int GetHashCode() => HashCode.Combine(TimeSeconds, Hash, Quality, CentreHash);

    /// <summary>The frame built from a hash result: its hash, mirrored hash and centre hash.</summary>
    public static FingerprintFrame From(double timeSeconds, FrameHashResult hash) =>
        new(timeSeconds, hash.Hash, hash.Quality) { MirroredHash = hash.Mirrored, CentreHash = hash.Centre };

    /// <summary>This frame as its mirror image would be (the hashes swapped); itself when no mirrored hash was computed.</summary>
    public FingerprintFrame Mirrored() => HasMirroredHash ? this with { Hash = MirroredHash, MirroredHash = Hash } : this;

    /// <summary>This frame as its centre view: the centre hash in place of the hash (no mirrored or centre hash).</summary>
    public FingerprintFrame Centre() => new(TimeSeconds, CentreHash, Quality);
}
