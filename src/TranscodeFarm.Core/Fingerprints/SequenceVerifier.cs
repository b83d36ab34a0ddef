namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// Checks a candidate by comparing frame sequences: at each trial offset, every usable query frame is compared with the
/// asset frame nearest in aligned time. The offset with the most matched frames wins; among those, the one where
/// fewest flat query frames (black, fades) land on picture in the asset, so a cut to black places the query as well as
/// a cut between two shots. When neighbouring offsets still tie (a static shot matches wherever it is slid), the middle
/// of the tie is taken. An excerpt with no cut at all can only be placed to within its shot. When no offset passes that
/// rule, the offset with most frames within the near distance is tried by <see cref="NearMatch"/> (issue 17: heavily
/// re-encoded or overlaid synthetic pictures sit 38–62 bits from their original, every frame, at the true offset).
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
        var trials = new Outcome[steps];
        for (var s = 0; s < steps; s++)
        {
            trials[s] = Compare(queryFrames, reference, minOffset + (s * step), options);
        }

        var strict = Best(trials, Rank, minOffset, step);
        var outcome = Compare(queryFrames, reference, strict, options);
        if (outcome.Matched >= options.MinMatchedFrames && (double)outcome.Matched / outcome.Overlap >= options.MinScore)
        {
            return new FingerprintMatch(assetId, (double)outcome.Matched / outcome.Overlap, strict, outcome.LastMatched - outcome.FirstMatched + queryInterval);
        }

        // The near rule (see NearMatch): the offset where most frames are within the near distance.
        var near = Best(trials, NearRank, minOffset, step);
        outcome = Compare(queryFrames, reference, near, options);
        var usable = queryFrames.Count(f => f.Quality >= options.MinQuality);
        return NearMatch.Accepts(outcome.Near, usable, options)
            ? new FingerprintMatch(assetId, NearMatch.Score(outcome.Near, usable), near, outcome.LastNear - outcome.FirstNear + queryInterval)
            : null;
    }

    /// <summary>The middle of the first run of neighbouring offsets sharing the best rank.</summary>
    private static double Best(Outcome[] trials, Func<Outcome, long> rank, double minOffset, double step)
    {
        var ranks = Array.ConvertAll(trials, t => rank(t));
        var best = ranks.Max();
        var low = Array.IndexOf(ranks, best);
        var high = low;
        while (high + 1 < ranks.Length && ranks[high + 1] == best)
        {
            high++;
        }

        return minOffset + ((low + high) / 2 * step);
    }

    private static Outcome Compare(IReadOnlyList<FingerprintFrame> queryFrames, VideoFingerprint reference, double offset, FingerprintIndexOptions options)
    {
        var frames = reference.Frames;
        var earliest = frames[0].TimeSeconds - options.FrameTimeTolerance;
        var latest = frames[^1].TimeSeconds + options.FrameTimeTolerance;
        var outcome = new Outcome(0, 0, 0, double.NaN, double.NaN, 0, double.NaN, double.NaN);
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
            if (Math.Abs(candidate.TimeSeconds - aligned) > options.FrameTimeTolerance || candidate.Quality < options.MinQuality)
            {
                continue;
            }

            var distance = candidate.Hash.DistanceTo(query.Hash);
            if (distance <= options.NearDistance)
            {
                outcome = outcome with
                {
                    Near = outcome.Near + 1,
                    FirstNear = outcome.Near == 0 ? query.TimeSeconds : outcome.FirstNear,
                    LastNear = query.TimeSeconds,
                };
            }

            if (distance <= options.MatchDistance)
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

    /// <summary>Most frames within the near distance first, then most matched, then fewest flat query frames on picture.</summary>
    private static long NearRank(Outcome outcome) => ((long)outcome.Near << 40) + ((long)outcome.Matched << 20) - outcome.FlatOnPicture;

    /// <param name="Overlap">Usable query frames that fall inside the asset.</param>
    /// <param name="FlatOnPicture">Flat query frames aligned with a usable asset frame: a sign of misalignment.</param>
    /// <param name="Near">Usable query frames within <see cref="FingerprintIndexOptions.NearDistance"/> of their asset frame.</param>
    private readonly record struct Outcome(
        int Overlap, int Matched, int FlatOnPicture, double FirstMatched, double LastMatched, int Near, double FirstNear, double LastNear);
}
