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

    public bool Equals(FingerprintFrame other) =>
        TimeSeconds.Equals(other.TimeSeconds) && Hash.Equals(other.Hash) && Quality == other.Quality;

    public override int GetHashCode() => HashCode.Combine(TimeSeconds, Hash, Quality);

    /// <summary>This frame as its mirror image would be (the hashes swapped); itself when no mirrored hash was computed.</summary>
    public FingerprintFrame Mirrored() => HasMirroredHash ? this with { Hash = MirroredHash, MirroredHash = Hash } : this;
}
