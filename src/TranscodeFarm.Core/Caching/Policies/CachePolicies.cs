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
}
