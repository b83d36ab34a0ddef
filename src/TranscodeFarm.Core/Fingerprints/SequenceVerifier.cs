namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// Checks a candidate by comparing frame sequences: at each trial offset, every usable query frame is compared with the
/// asset frame nearest in aligned time. The offset with the most matched frames wins; among those, the one where
/// fewest flat query frames (black, fades) land on picture in the asset, so a cut to black places the query as well as
/// a cut between two shots. When neighbouring offsets still tie (a static shot matches wherever it is slid), the middle
/// of the tie is taken. An excerpt with no cut at all can only be placed to within its shot.
/// </summary>
internal static class SequenceVerifier
{
    private const int MaxSteps = 4000;

    public static FingerprintMatch? Verify(
        string assetId,
        IReadOnlyList<FingerprintFrame> queryFrames, // all of them, flat ones included
        double queryInterval,
        VideoFingerprint reference,
        double minOffset,
        double maxOffset,
        FingerprintIndexOptions options)
    {
        if (queryFrames.Count == 0 || reference.Count == 0)
        {
            return null;
        }

        var step = Math.Max(options.RefineStepSeconds, (maxOffset - minOffset) / MaxSteps);
        var steps = (int)Math.Floor((maxOffset - minOffset) / step) + 1;
        var rankAt = new long[steps];
        for (var s = 0; s < steps; s++)
        {
            var trial = Compare(queryFrames, reference, minOffset + (s * step), options);
            rankAt[s] = Rank(trial);
        }

        var best = rankAt.Max();
        var low = Array.IndexOf(rankAt, best);
        var high = low;
        while (high + 1 < steps && rankAt[high + 1] == best)
        {
            high++;
        }

        var offset = minOffset + ((low + high) / 2 * step);
        var outcome = Compare(queryFrames, reference, offset, options);
        if (outcome.Matched < options.MinMatchedFrames)
        {
            return null;
        }

        var score = (double)outcome.Matched / outcome.Overlap;
        if (score < options.MinScore)
        {
            return null;
        }

        return new FingerprintMatch(assetId, score, offset, outcome.LastMatched - outcome.FirstMatched + queryInterval);
    }

    private static Outcome Compare(IReadOnlyList<FingerprintFrame> queryFrames, VideoFingerprint reference, double offset, FingerprintIndexOptions options)
    {
        var frames = reference.Frames;
        var earliest = frames[0].TimeSeconds - options.FrameTimeTolerance;
        var latest = frames[^1].TimeSeconds + options.FrameTimeTolerance;
        var outcome = new Outcome(0, 0, 0, double.NaN, double.NaN);
        foreach (var query in queryFrames)
        {
            var aligned = query.TimeSeconds + offset;
            if (aligned < earliest || aligned > latest)
            {
                continue;
            }

            var candidate = frames[reference.NearestIndex(aligned)];
            if (query.Quality < options.MinQuality)
            {
                if (candidate.Quality >= options.MinQuality && Math.Abs(candidate.TimeSeconds - aligned) <= options.FrameTimeTolerance)
                {
                    outcome = outcome with { FlatOnPicture = outcome.FlatOnPicture + 1 };
                }

                continue;
            }

            outcome = outcome with { Overlap = outcome.Overlap + 1 };
            if (Math.Abs(candidate.TimeSeconds - aligned) <= options.FrameTimeTolerance &&
                candidate.Quality >= options.MinQuality &&
                candidate.Hash.DistanceTo(query.Hash) <= options.MatchDistance)
            {
                outcome = outcome with
                {
                    Matched = outcome.Matched + 1,
                    FirstMatched = outcome.Matched == 0 ? query.TimeSeconds : outcome.FirstMatched,
                    LastMatched = query.TimeSeconds,
                };
            }
        }

        return outcome;
    }

    /// <summary>Most matched frames first, then fewest flat query frames on picture.</summary>
    private static long Rank(Outcome outcome) => ((long)outcome.Matched << 32) - outcome.FlatOnPicture;

    /// <param name="Overlap">Usable query frames that fall inside the asset.</param>
    /// <param name="FlatOnPicture">Flat query frames aligned with a usable asset frame: a sign of misalignment.</param>
    private readonly record struct Outcome(int Overlap, int Matched, int FlatOnPicture, double FirstMatched, double LastMatched);
}
