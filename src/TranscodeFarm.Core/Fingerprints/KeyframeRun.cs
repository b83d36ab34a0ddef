namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// A stretch of usable frames that all look like its first one (the keyframe): what the index stores and what a query
/// votes with. Times are those of the first and last frame in the run.
/// </summary>
internal readonly record struct KeyframeRun(Hash256 Key, double StartSeconds, double EndSeconds)
{
    public static List<KeyframeRun> Select(VideoFingerprint fingerprint, FingerprintIndexOptions options)
    {
        var runs = new List<KeyframeRun>();
        KeyframeRun? current = null;
        foreach (var frame in fingerprint.Frames)
        {
            if (frame.Quality < options.MinQuality)
            {
                continue;
            }

            if (current is { } run &&
                run.Key.DistanceTo(frame.Hash) <= options.KeyframeDistance &&
                frame.TimeSeconds - run.StartSeconds <= options.MaxRunSeconds)
            {
                current = run with { EndSeconds = frame.TimeSeconds };
                continue;
            }

            if (current is { } finished)
            {
                runs.Add(finished);
            }

            current = new KeyframeRun(frame.Hash, frame.TimeSeconds, frame.TimeSeconds);
        }

        if (current is { } last)
        {
            runs.Add(last);
        }

        return runs;
    }

    /// <summary>At most <paramref name="max"/> runs, evenly spread, so a long query costs a bounded amount.</summary>
    public static IReadOnlyList<KeyframeRun> Spread(List<KeyframeRun> runs, int max) =>
        runs.Count <= max ? runs : Enumerable.Range(0, max).Select(i => runs[(int)((long)i * runs.Count / max)]).ToList();
}
