namespace TranscodeFarm.Core.Fingerprints;

/// <summary>Tuning for <see cref="AudioIndex"/>; the defaults are what the decision record (012) argues for.</summary>
public sealed record AudioIndexOptions
{
    /// <summary>The sub-fingerprint period every indexed and queried fingerprint must have.</summary>
    public double ItemSeconds { get; init; } = AudioFingerprint.ChromaprintItemSeconds;

    /// <summary>Caps the work for long queries (a whole upload): query items whose halves are looked up, evenly spread (256 ≈ 32 s).</summary>
    public int MaxQueryItems { get; init; } = 256;

    /// <summary>
    /// Of those, this many (evenly spread; 64 ≈ 8 s) also look up the 16 one-bit neighbours of each half. At a bit error
    /// rate of 0.2 a half survives intact only 2.8% of the time but within one bit 14%, so a short noisy excerpt gets
    /// ~5× the votes; it costs 16 more look-ups an item, so long queries, which have votes to spare, are capped.
    /// 0: exact halves only.
    /// </summary>
    public int MaxNeighbourProbeItems { get; init; } = 64;

    /// <summary>
    /// A hit votes only when the whole 32-bit words are within this many bits. The probed half is within 0 or 1, so
    /// this bounds the other half: at 7, a re-encode's (BER 0.2) passes 97–99% of the time, a chance hit's 23–40%.
    /// Counting votes is most of a query's cost, and each bit more nearly doubles it (measured at 6, 7, 8).
    /// </summary>
    public int MaxWordDistance { get; init; } = 7;

    /// <summary>
    /// Width, in items, of the offset bins hits vote into (4 ≈ 0.5 s): neighbouring Chromaprint words are alike, so one
    /// query word also hits the reference word next to its true partner; a bin collects those votes.
    /// </summary>
    public int VoteBinItems { get; init; } = 4;

    /// <summary>Fewer votes than this in an asset's best bin never goes to verification (chance hits give 1–2).</summary>
    public int MinVotes { get; init; } = 3;

    /// <summary>How many assets, best voted first, are verified with <see cref="AudioAligner"/>.</summary>
    public int MaxCandidates { get; init; } = 10;

    /// <summary>
    /// A bucket holding more than this many times the mean postings per bucket is skipped at query time, like a stop
    /// word: a value common to many recordings votes for every one of them and tells nothing.
    /// </summary>
    public double PopularBucketFactor { get; init; } = 50;

    /// <summary>Buckets up to this size are never skipped, so a small index does not lose its few postings.</summary>
    public int MinPopularBucketPostings { get; init; } = 1000;

    /// <summary>The aligned overlap a match needs; a query shorter than this matches nothing.</summary>
    public double MinOverlapSeconds { get; init; } = AudioAligner.DefaultMinOverlapSeconds;

    /// <summary>
    /// An alignment over the whole overlap must be at or under this bit error rate (and so must each agreeing window).
    /// 0.25 (was 0.3, <see cref="AudioAligner.MaxMatchBitErrorRate"/>): a 0.1 margin under the lowest rate one espeak-ng
    /// voice saying other words reached on the evaluation's half A (0.358), still above a typical re-encode (0.05–0.2).
    /// </summary>
    public double MaxBitErrorRate { get; init; } = 0.25;

    /// <summary>
    /// A window agrees only this far under its own median rate 0.4–2 s away (<see cref="AudioVerifier"/>): the words line
    /// up at one offset, not just the voice at every offset. Calibrated on the evaluation's hard-negative half A: its pairs
    /// reached at most 0.133, copies at their true offset at least 0.296; 0.2 sits between.
    /// </summary>
    public double MinContrast { get; init; } = 0.2;

    /// <summary>Of the overlap's windows with sound, at least this share must agree.</summary>
    public double MinAgreeingShare { get; init; } = 0.5;

    /// <summary>
    /// Agreeing windows must cover at least this share of the query's sound (silence left out), or
    /// <see cref="LongMatchSeconds"/>: a few seconds that happen to line up inside a long upload are not its source.
    /// </summary>
    public double MinQueryShare { get; init; } = 0.4;

    /// <summary>This much agreeing sound is a match whatever share of a long query it is (a clip inside a compilation).</summary>
    public double LongMatchSeconds { get; init; } = 30;

    internal void Validate()
    {
        if (!double.IsFinite(ItemSeconds) || ItemSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ItemSeconds), ItemSeconds, "must be a positive number of seconds");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxQueryItems);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxNeighbourProbeItems);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxWordDistance);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxWordDistance, 32);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(VoteBinItems);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MinVotes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxCandidates);
        ArgumentOutOfRangeException.ThrowIfLessThan(PopularBucketFactor, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(MinPopularBucketPostings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MinOverlapSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxBitErrorRate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxBitErrorRate, 0.5);
        ArgumentOutOfRangeException.ThrowIfNegative(MinContrast);
        ArgumentOutOfRangeException.ThrowIfNegative(MinAgreeingShare);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MinAgreeingShare, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(MinQueryShare);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MinQueryShare, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LongMatchSeconds);
    }
}
