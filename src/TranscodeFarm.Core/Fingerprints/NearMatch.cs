namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// The second verification rule (issue 17), for copies whose every frame moved past the 31-bit match distance but not
/// towards chance: a 300 kb/s re-encode or a burnt-in caption over synthetic pictures (test patterns, cellular automata,
/// gradients) sits a median 38–62 bits from its original at the true offset, while unrelated frames sit near 128 (never
/// under 94 measured, and a frame 64 bits from an unrelated one is 8 standard deviations from chance). At one offset,
/// at least <see cref="FingerprintIndexOptions.MinNearFrames"/> usable query frames (~6 s), and at least
/// <see cref="FingerprintIndexOptions.MinScore"/> of *all* the query's usable frames (not only those overlapping the
/// asset), must be within <see cref="FingerprintIndexOptions.NearDistance"/>: the median frame of the whole query, not
/// the best few, is what is judged. So a still picture that resembles a few seconds of an asset (a face held still
/// where the asset pans over the same photograph measured 48 bits over 12 frames) does not match: the weaker
/// per-frame evidence needs the query to be mostly the asset. The price: a copy embedded in a much longer upload is
/// found only by the 31-bit rule.
/// </summary>
public static class NearMatch
{
    public static bool Accepts(int nearFrames, int usableQueryFrames, FingerprintIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return nearFrames >= RequiredFrames(usableQueryFrames, options);
    }

    /// <summary>How many of a query's usable frames must be near at one offset: the query's median frame, and at least MinNearFrames.</summary>
    public static int RequiredFrames(int usableQueryFrames, FingerprintIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Math.Max(options.MinNearFrames, (int)Math.Ceiling(options.MinScore * usableQueryFrames));
    }

    /// <summary>
    /// Half the share of near frames: a near match always ranks below a match by the first rule (whose score is ≥ 0.5),
    /// and the score still tells how much of the query agreed.
    /// </summary>
    public static double Score(int nearFrames, int usableQueryFrames) => usableQueryFrames == 0 ? 0 : Math.Min(MaxScore, MaxScore * nearFrames / usableQueryFrames);

    /// <summary>The highest score a near match gets; a picture-only match above it passed the 31-bit rule.</summary>
    public const double MaxScore = 0.5;
}
