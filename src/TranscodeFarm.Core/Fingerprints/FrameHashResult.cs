namespace TranscodeFarm.Core.Fingerprints;

/// <summary>A frame's perceptual hash and how much structure it had (0 = flat or black, 100 = plenty).</summary>
public readonly record struct FrameHashResult(Hash256 Hash, int Quality)
{
    /// <summary>
    /// Below this a frame is too flat to identify anything: black frames, fades and plain backgrounds look alike in every
    /// asset, so matching skips them.
    /// </summary>
    public const int MinUsableQuality = 50;

    public bool IsUsable => Quality >= MinUsableQuality;

    /// <summary>The hash the left-right mirrored frame would have (<see cref="FrameHash"/>); default when not computed.</summary>
    public Hash256 Mirrored { get; init; }

    /// <summary>The hash of the frame's centre (<see cref="FrameHash.CentreFraction"/>) enlarged to the full frame; default when not computed.</summary>
    public Hash256 Centre { get; init; }
}
