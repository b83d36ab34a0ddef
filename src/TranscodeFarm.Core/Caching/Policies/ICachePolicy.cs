namespace TranscodeFarm.Core.Caching.Policies;

/// <summary>
/// Which objects a byte-bounded cache keeps: the policy holds keys and sizes only; the caller holds the values and
/// drops one when the policy reports it evicted (the callback given to each policy's constructor).
/// Usage on a request: <c>if (!policy.TryGet(key)) { fetch; if (policy.Admit(key, size)) store value; }</c>.
/// Every operation is O(1) (amortized) and allocation-free once the tables have grown. Not thread-safe: the caller
/// holds one lock around each call, as the edge does around its cache, and the eviction callback runs under it, so
/// it must not call back into the policy.
/// </summary>
public interface ICachePolicy<TKey>
    where TKey : notnull
{
    long CapacityBytes { get; }

    /// <summary>Bytes of the objects now resident; never above <see cref="CapacityBytes"/> between calls.</summary>
    long SizeBytes { get; }

    /// <summary>Objects now resident.</summary>
    int Count { get; }

    /// <summary>Objects pushed out (or refused after being held) to make room, since creation.</summary>
    long Evictions { get; }

    /// <summary>Records a request; true when the object is resident (a hit).</summary>
    bool TryGet(TKey key);

    /// <summary>
    /// Offers an object after a miss. True when it is resident afterwards; false when it is larger than the capacity
    /// or the policy's admission filter refused it (the caller then serves it without caching). Admitting a resident
    /// key replaces it (a new size).
    /// </summary>
    bool Admit(TKey key, long sizeBytes);

    /// <summary>Forgets an object (a purge); no eviction callback. True when it was resident.</summary>
    bool Remove(TKey key);
}
