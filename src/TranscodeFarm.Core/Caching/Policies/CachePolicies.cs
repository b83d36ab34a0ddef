namespace TranscodeFarm.Core.Caching.Policies;

/// <summary>The policy an edge should use unless it has measured better for its traffic.</summary>
public static class CachePolicies
{
    /// <summary>
    /// S3-FIFO with the paper's parameters: the best byte hit ratio in the replay of decision 025 and never below LRU.
    /// Callers hold one lock around every call (see <see cref="ICachePolicy{TKey}"/>).
    /// </summary>
    public static ICachePolicy<TKey> CreateDefault<TKey>(long capacityBytes, Action<TKey>? evicted = null)
        where TKey : notnull => new S3FifoPolicy<TKey>(capacityBytes, evicted);

    /// <summary>The names an operator may choose from (Edge:CachePolicy).</summary>
    public static IReadOnlyList<string> Names { get; } = ["s3fifo", "lru", "wtinylfu"];

    /// <summary>The policy called <paramref name="name"/> (one of <see cref="Names"/>, case-insensitive), or null.</summary>
    public static ICachePolicy<TKey>? Create<TKey>(string name, long capacityBytes, Action<TKey>? evicted = null)
        where TKey : notnull => name.ToLowerInvariant() switch
        {
            "s3fifo" => new S3FifoPolicy<TKey>(capacityBytes, evicted),
            "lru" => new LruPolicy<TKey>(capacityBytes, evicted),
            "wtinylfu" => new WTinyLfuPolicy<TKey>(capacityBytes, evicted),
            _ => null,
        };
}
