namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// Judges a query's picture against an asset's at one given offset (where the sound placed it): each usable query frame
/// is compared with the asset frame nearest in aligned time (and, if the query carries it, its mirror image, keeping the
/// closer). At least <see cref="FingerprintIndexOptions.MinMatchedFrames"/> pairs are needed for any verdict; then
/// ≥ <see cref="FingerprintIndexOptions.MinScore"/> of them within the match distance supports, and a median distance of
/// <see cref="FingerprintIndexOptions.ContradictDistance"/> or more (with under a fifth matching) contradicts. Anything
/// between (a 10% crop sits at 32–64 bits) is no verdict: the sound decides. So is an asset whose own consecutive
/// frames are that far apart (temporal noise): a copy sampled a frame off would look unrelated.
/// </summary>
public static class PictureCheck
{
    public static PictureEvidence Judge(IReadOnlyList<FingerprintFrame> queryFrames, VideoFingerprint reference, double offsetSeconds, FingerprintIndexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(queryFrames);
        ArgumentNullException.ThrowIfNull(reference);
        options ??= new FingerprintIndexOptions();
        if (reference.Count == 0)
        {
            return PictureEvidence.Unknown;
        }

        var distances = new List<int>();
        var churn = new List<int>();
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

        // A picture that is another picture half a second later (temporal noise, strobes) is far from any copy sampled a
        // few frames off: it cannot contradict anything.
        if (churn.Count > 0 && churn.Order().ElementAt(churn.Count / 2) >= options.ContradictDistance)
        {
            return Verdict(distances, options) == PictureEvidence.Supports ? PictureEvidence.Supports : PictureEvidence.Unknown;
        }

        return Verdict(distances, options);
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
