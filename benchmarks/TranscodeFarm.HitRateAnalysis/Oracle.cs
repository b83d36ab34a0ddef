using TranscodeFarm.Core.Caching.Traces;

namespace TranscodeFarm.HitRateAnalysis;

/// <summary>
/// A reference point, not a policy: a cache that knows every object's request count in advance and holds the most
/// requested ones that fit (a byte of cache is worth its object's request count whatever the size), paying only each
/// object's first request. Close to the best static choice for traces like these, whose popularity does not move; no
/// policy that learns online reaches it.
/// </summary>
internal static class Oracle
{
    public static double ByteHitRatio(SegmentTrace trace, long capacityBytes)
    {
        var counts = new Dictionary<int, (int Count, int Size)>();
        long total = 0;
        for (var i = 0; i < trace.Count; i++)
        {
            counts[trace.Keys[i]] = (counts.GetValueOrDefault(trace.Keys[i]).Count + 1, trace.Sizes[i]);
            total += trace.Sizes[i];
        }

        long used = 0, hitBytes = 0;
        foreach (var (count, size) in counts.Values.OrderByDescending(c => c.Count))
        {
            if (used + size <= capacityBytes)
            {
                used += size;
                hitBytes += (long)(count - 1) * size;
            }
        }

        return hitBytes / (double)total;
    }
}
