using TranscodeFarm.Core.Caching.Policies;
using TranscodeFarm.Core.Caching.Traces;

namespace TranscodeFarm.HitRateAnalysis;

/// <summary>
/// Hit ratios of one replay: over every request (cold start included, the primary figures) and over the second half
/// only (a warm cache, closer to an edge that has run for days).
/// </summary>
internal readonly record struct HitRatios(double Objects, double Bytes, double WarmBytes);

internal static class Replay
{
    /// <summary>Plays the trace as the edge would: a lookup per request, an admission offer after each miss.</summary>
    public static HitRatios Run(ICachePolicy<int> policy, SegmentTrace trace)
    {
        var keys = trace.Keys;
        var sizes = trace.Sizes;
        var half = keys.Length / 2;
        long hits = 0, hitBytes = 0, bytes = 0, warmHitBytes = 0, warmBytes = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            var hit = policy.TryGet(keys[i]);
            if (!hit)
            {
                policy.Admit(keys[i], sizes[i]);
            }

            bytes += sizes[i];
            hits += hit ? 1 : 0;
            hitBytes += hit ? sizes[i] : 0;
            if (i >= half)
            {
                warmBytes += sizes[i];
                warmHitBytes += hit ? sizes[i] : 0;
            }

            if (policy.SizeBytes > policy.CapacityBytes)
            {
                throw new InvalidOperationException($"{policy.GetType().Name} went over its budget at request {i}");
            }
        }

        return new HitRatios(hits / (double)keys.Length, hitBytes / (double)bytes, warmHitBytes / (double)warmBytes);
    }
}
