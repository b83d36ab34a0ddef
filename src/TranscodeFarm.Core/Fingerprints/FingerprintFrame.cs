namespace TranscodeFarm.Core.Fingerprints;

/// <summary>One sampled frame of a video fingerprint: when it was taken (seconds from the start), its hash and quality.</summary>
public readonly record struct FingerprintFrame(double TimeSeconds, Hash256 Hash, int Quality)
{
    public bool IsUsable => Quality >= FrameHashResult.MinUsableQuality;
}
