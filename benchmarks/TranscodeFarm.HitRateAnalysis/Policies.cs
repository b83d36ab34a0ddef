using TranscodeFarm.Core.Caching.Policies;

namespace TranscodeFarm.HitRateAnalysis;

/// <summary>The policies compared, each with its one set of documented defaults (decision 025): no per-cell tuning.</summary>
internal static class Policies
{
    public static readonly IReadOnlyList<(string Name, Func<long, ICachePolicy<int>> Create)> All =
    [
        ("LRU", bytes => new LruPolicy<int>(bytes)),
        ("S3-FIFO", bytes => new S3FifoPolicy<int>(bytes)),
        ("W-TinyLFU", bytes => new WTinyLfuPolicy<int>(bytes)),
    ];
}
