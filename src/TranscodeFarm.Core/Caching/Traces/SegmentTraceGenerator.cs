namespace TranscodeFarm.Core.Caching.Traces;

/// <summary>
/// Generates a <see cref="SegmentTrace"/> from a <see cref="SegmentTraceModel"/>, deterministically from its seed.
/// A pool of concurrent sessions; each request picks one at random and emits its next segment. A session starts on a
/// Zipf-drawn title at segment 0 or, on a seek, anywhere; it plays in order, switches to a neighbouring rendition with
/// the switch probability after each segment, and stops after a geometric number of segments or at the title's end,
/// when a new session takes its place.
/// </summary>
public static class SegmentTraceGenerator
{
    public static int Key(SegmentTraceModel model, int title, int rendition, int segment) =>
        ((title * model.Renditions) + rendition) * model.SegmentsPerTitle + segment;

    /// <summary>An object's size: fixed per object (a hash of seed and key), so every request for it agrees.</summary>
    public static int SizeOf(SegmentTraceModel model, int key)
    {
        var rendition = key / model.SegmentsPerTitle % model.Renditions;
        var nominal = model.RenditionKbps[rendition] * 1000.0 * model.SegmentSeconds / 8;
        var u = (SplitMix64.Mix(model.Seed ^ ((ulong)key * 0x9E3779B97F4A7C15UL)) >> 11) * (1.0 / (1UL << 53));
        return (int)(nominal * (1 + model.SizeJitter * (2 * u - 1)));
    }

    public static long CatalogBytes(SegmentTraceModel model)
    {
        long total = 0;
        for (var key = 0; key < model.Objects; key++)
        {
            total += SizeOf(model, key);
        }

        return total;
    }

    public static SegmentTrace Generate(SegmentTraceModel model)
    {
        var random = new SplitMix64(model.Seed);
        var zipf = new ZipfSampler(model.Titles, model.ZipfAlpha);
        var sessions = new Session[model.ConcurrentSessions];
        for (var i = 0; i < sessions.Length; i++)
        {
            sessions[i] = Start(model, zipf, ref random);
        }

        var keys = new int[model.Requests];
        var sizes = new int[model.Requests];
        for (var r = 0; r < keys.Length; r++)
        {
            ref var s = ref sessions[random.NextInt(sessions.Length)];
            keys[r] = Key(model, s.Title, s.Rendition, s.Segment);
            sizes[r] = SizeOf(model, keys[r]);
            s.Remaining--;
            s.Segment++;
            if (s.Remaining == 0 || s.Segment == model.SegmentsPerTitle)
            {
                s = Start(model, zipf, ref random);
            }
            else if (random.NextDouble() < model.SwitchProbability)
            {
                s.Rendition = Neighbour(s.Rendition, model.Renditions, ref random);
            }
        }

        return new SegmentTrace(keys, sizes, CatalogBytes(model));
    }

    private static Session Start(SegmentTraceModel model, ZipfSampler zipf, ref SplitMix64 random)
    {
        var title = zipf.Next(ref random);
        var segment = random.NextDouble() < model.SeekProbability ? random.NextInt(model.SegmentsPerTitle) : 0;
        var rendition = Weighted(model.StartRenditionWeights, random.NextDouble());

        // Geometric on {1, 2, ...} with mean m: stop after each segment with probability 1/m.
        var stop = 1 / model.MeanSessionSegments;
        var u = 1 - random.NextDouble(); // (0, 1]: the log is finite
        var length = 1 + (int)Math.Min(Math.Floor(Math.Log(u) / Math.Log(1 - stop)), int.MaxValue - 1);
        return new Session { Title = title, Rendition = rendition, Segment = segment, Remaining = length };
    }

    private static int Weighted(IReadOnlyList<double> weights, double u)
    {
        var total = weights.Sum();
        var at = u * total;
        for (var i = 0; i < weights.Count; i++)
        {
            at -= weights[i];
            if (at < 0)
            {
                return i;
            }
        }

        return weights.Count - 1;
    }

    private static int Neighbour(int rendition, int count, ref SplitMix64 random)
    {
        if (count == 1)
        {
            return rendition;
        }

        if (rendition == 0)
        {
            return 1;
        }

        if (rendition == count - 1)
        {
            return count - 2;
        }

        return random.NextInt(2) == 0 ? rendition - 1 : rendition + 1;
    }

    private struct Session
    {
        public int Title;
        public int Rendition;
        public int Segment;
        public int Remaining;
    }
}
