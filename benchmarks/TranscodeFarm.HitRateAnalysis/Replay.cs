using TranscodeFarm.Core.Caching.Policies;
using TranscodeFarm.Core.Caching.Traces;

namespace TranscodeFarm.HitRateAnalysis;

/// <summary>Object and byte hit ratios of one replay, cold start included (every policy pays the same first misses).</summary>
internal readonly record struct HitRatios(double Objects, double Bytes);

internal static class Replay
{
    /// <summary>Plays the trace as the edge would: a lookup per request, an admission offer after each miss.</summary>
    public static HitRatios Run(ICachePolicy<int> policy, SegmentTrace trace)
    {
        var keys = trace.Keys;
        var sizes = trace.Sizes;
        long hits = 0, hitBytes = 0, bytes = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            bytes += sizes[i];
            if (policy.TryGet(keys[i]))
            {
                hits++;
                hitBytes += sizes[i];
            }
            else
            {
                policy.Admit(keys[i], sizes[i]);
            }

            if (policy.SizeBytes > policy.CapacityBytes)
            {
                throw new InvalidOperationException($"{policy.GetType().Name} went over its budget at request {i}");
            }
        }

        return new HitRatios(hits / (double)keys.Length, hitBytes / (double)bytes);
    }
}
