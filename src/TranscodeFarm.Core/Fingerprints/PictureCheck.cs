namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// Judges a query's picture against an asset's at one given offset (where the sound placed it): each usable query frame
/// is compared with the asset frame nearest in aligned time (and, if the query carries it, its mirror image, keeping the
/// closer). At least <see cref="FingerprintIndexOptions.MinMatchedFrames"/> pairs are needed for any verdict; then
/// ≥ <see cref="FingerprintIndexOptions.MinScore"/> of them within the match distance supports, and a median distance of
/// <see cref="FingerprintIndexOptions.ContradictDistance"/> or more (with under a fifth matching) contradicts. Anything
/// between (a 10% crop sits at 32–64 bits) is no verdict: the sound decides. So is an asset whose own consecutive
/// frames are about as far apart as unrelated ones (temporal noise): a copy sampled a frame off would look unrelated.
/// </summary>
public static class PictureCheck
{
    public static PictureEvidence Judge(IReadOnlyList<FingerprintFrame> queryFrames, VideoFingerprint reference, double offsetSeconds, FingerprintIndexOptions? options = null)
    {
        options ??= new FingerprintIndexOptions();
        return Decide(Measure(queryFrames, reference, offsetSeconds, options), options);
    }

    /// <summary>The verdict on a measurement: see the class summary.</summary>
    public static PictureEvidence Decide(PictureComparison comparison, FingerprintIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentNullException.ThrowIfNull(options);
        var verdict = Verdict(comparison.Distances, options);
        // A picture that is an unrelated picture half a second later (temporal noise, strobes) is far from any copy sampled
        // a few frames off: it cannot contradict anything. Fast pans change a lot too (78–94 bits measured) but not that much.
        return verdict == PictureEvidence.Contradicts && comparison.MedianChurn >= options.NoiseChurnDistance ? PictureEvidence.Unknown : verdict;
    }

    /// <summary>Distances of the aligned usable frame pairs (mirror images included), and how much the asset's own picture changes.</summary>
    public static PictureComparison Measure(IReadOnlyList<FingerprintFrame> queryFrames, VideoFingerprint reference, double offsetSeconds, FingerprintIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(queryFrames);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(options);
        var distances = new List<int>();
        var churn = new List<int>();
        if (reference.Count == 0)
        {
            return new PictureComparison(distances, 0);
        }

        foreach (var frame in queryFrames)
        {
            if (frame.Quality < options.MinQuality)
            {
                continue;
            }

            var aligned = frame.TimeSeconds + offsetSeconds;
            var index = reference.NearestIndex(aligned);
            var candidate = reference.Frames[index];
            if (candidate.Quality < options.MinQuality || Math.Abs(candidate.TimeSeconds - aligned) > options.FrameTimeTolerance)
            {
                continue;
            }

            var distance = frame.Hash.DistanceTo(candidate.Hash);
            if (frame.HasMirroredHash)
            {
                distance = Math.Min(distance, frame.MirroredHash.DistanceTo(candidate.Hash));
            }

            distances.Add(distance);
            if (index + 1 < reference.Count && reference.Frames[index + 1].Quality >= options.MinQuality)
            {
                churn.Add(candidate.Hash.DistanceTo(reference.Frames[index + 1].Hash));
            }
        }

        churn.Sort();
        return new PictureComparison(distances, churn.Count == 0 ? 0 : churn[churn.Count / 2]);
    }

    /// <summary>The rule on the distances of the aligned frame pairs alone.</summary>
    public static PictureEvidence Verdict(IReadOnlyList<int> distances, FingerprintIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(distances);
        ArgumentNullException.ThrowIfNull(options);
        if (distances.Count < options.MinMatchedFrames)
        {
            return PictureEvidence.Unknown;
        }

        var matched = distances.Count(d => d <= options.MatchDistance);
        if (matched >= options.MinScore * distances.Count)
        {
            return PictureEvidence.Supports;
        }

        var sorted = distances.Order().ToList();
        var median = sorted[sorted.Count / 2];
        return median >= options.ContradictDistance && matched * 5 < distances.Count ? PictureEvidence.Contradicts : PictureEvidence.Unknown;
    }
}

/// <summary>
/// <see cref="Distances"/>: Hamming distances of the aligned usable frame pairs; <see cref="MedianChurn"/>: median
/// distance between each asset frame used and the next one (how much the asset's picture changes in half a second).
/// </summary>
public sealed record PictureComparison(IReadOnlyList<int> Distances, int MedianChurn)
{
    public double MedianDistance => Distances.Count == 0 ? double.NaN : Distances.Order().ElementAt(Distances.Count / 2);
}
