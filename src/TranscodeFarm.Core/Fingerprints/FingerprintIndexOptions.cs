namespace TranscodeFarm.Core.Fingerprints;

/// <summary>Tuning for <see cref="FingerprintIndex"/>; the defaults are what the decision record (012) argues for.</summary>
public sealed record FingerprintIndexOptions
{
    /// <summary>Two frames are the same picture at this Hamming distance or less (vPDQ's default of 31 of 256 bits).</summary>
    public int MatchDistance { get; init; } = 31;

    /// <summary>Frames below this quality are neither indexed nor counted (black, fades, flat backgrounds).</summary>
    public int MinQuality { get; init; } = FrameHashResult.MinUsableQuality;

    /// <summary>
    /// Only "keyframes" are indexed: a frame starts a new run when it differs from the current run's first frame by more
    /// than this. A static shot at 2 fps then costs one index entry instead of dozens.
    /// </summary>
    public int KeyframeDistance { get; init; } = 12;

    /// <summary>A run is cut after this long even if nothing changes, so one match never votes for too many offsets.</summary>
    public double MaxRunSeconds { get; init; } = 10;

    /// <summary>
    /// 1: look up each 16-bit chunk and its 16 one-bit neighbours, which (pigeonhole over 16 chunks) finds every keyframe
    /// within 16·2−1 = 31 bits. 0: exact chunks only (17× fewer look-ups, guaranteed only within 15 bits).
    /// </summary>
    public int ChunkProbeRadius { get; init; } = 1;

    /// <summary>
    /// The same for the assets' centre views (issue 17, decision 033): 0, exact chunks only. A centre view doubles the
    /// keyframes filed; probing it exactly keeps the extra query cost to 1/17 of a full probe, and a 10%-cropped copy
    /// (≤ ~20 bits from the centre hash) still shares several exact chunks with most of its keyframes.
    /// </summary>
    public int CentreChunkProbeRadius { get; init; }

    /// <summary>Width of the time-offset bins that candidate keyframe pairs vote into.</summary>
    public double VoteBucketSeconds { get; init; } = 1;

    /// <summary>How many (asset, offset) candidates, best voted first, are verified frame by frame.</summary>
    public int MaxCandidates { get; init; } = 8;

    /// <summary>Verification tries offsets this far apart around a candidate's voted range.</summary>
    public double RefineStepSeconds { get; init; } = 0.1;

    /// <summary>A query frame and an asset frame are compared when their aligned times are at most this far apart.</summary>
    public double FrameTimeTolerance { get; init; } = 0.5;

    /// <summary>Fewer matched frames than this is never a match (6 frames ≈ 3 s at 2 fps).</summary>
    public int MinMatchedFrames { get; init; } = 6;

    /// <summary>Fraction of overlapping usable query frames that must match.</summary>
    public double MinScore { get; init; } = 0.5;

    /// <summary>
    /// The near rule (<see cref="NearMatch"/>, issue 17): a query none of whose offsets passes the rule above still matches
    /// where the median aligned frame is within this distance (half of chance level; unrelated frames measured ≥ 94).
    /// Candidate keyframe pairs vote when within this plus <see cref="KeyframeDistance"/>.
    /// </summary>
    public int NearDistance { get; init; } = 64;

    /// <summary>Fewer frames within <see cref="NearDistance"/> than this is never a near match (12 frames ≈ 6 s at 2 fps).</summary>
    public int MinNearFrames { get; init; } = 12;

    /// <summary>
    /// When sound matched, the picture at that offset contradicts it if the median distance of the aligned usable frames
    /// is at least this (unrelated frames sit near 128 and were never under 94; a 10% crop gives 32–64; issue 17).
    /// </summary>
    public int ContradictDistance { get; init; } = 80;

    /// <summary>
    /// An asset whose consecutive frames (0.5 s apart) are a median this far apart changes like noise: its picture never
    /// contradicts a sound match (a copy sampled a few frames off would look unrelated). Fast pans measured 78–94.
    /// </summary>
    public int NoiseChurnDistance { get; init; } = 110;

    /// <summary>Caps the work for long queries (a whole new asset): keyframes used for voting, evenly spread.</summary>
    public int MaxVotingRuns { get; init; } = 256;

    /// <summary>Caps the work for long queries: frames compared in verification, evenly spread.</summary>
    public int MaxVerifyFrames { get; init; } = 1024;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MatchDistance);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MatchDistance, Hash256.Bits);
        ArgumentOutOfRangeException.ThrowIfNegative(MinQuality);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MinQuality, 100);
        ArgumentOutOfRangeException.ThrowIfNegative(KeyframeDistance);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxRunSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(ChunkProbeRadius);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ChunkProbeRadius, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(CentreChunkProbeRadius);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(CentreChunkProbeRadius, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(VoteBucketSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxCandidates);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(RefineStepSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(FrameTimeTolerance);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MinMatchedFrames);
        ArgumentOutOfRangeException.ThrowIfLessThan(ContradictDistance, MatchDistance);
        ArgumentOutOfRangeException.ThrowIfLessThan(NearDistance, MatchDistance);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(NearDistance, Hash256.Bits / 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MinNearFrames);
        ArgumentOutOfRangeException.ThrowIfNegative(MinScore);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MinScore, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxVotingRuns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxVerifyFrames);
    }
}
