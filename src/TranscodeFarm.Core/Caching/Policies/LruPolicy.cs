namespace TranscodeFarm.Core.Caching.Policies;

/// <summary>Least recently used, bounded by bytes: the edge's policy until decision 025, and the baseline.</summary>
public sealed class LruPolicy<TKey> : ICachePolicy<TKey>
    where TKey : notnull
{
    private readonly EntryTable<TKey> _table = new();
    private readonly SlotQueue<TKey> _queue;
    private readonly Action<TKey>? _evicted;

    public LruPolicy(long capacityBytes, Action<TKey>? evicted = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        CapacityBytes = capacityBytes;
        _evicted = evicted;
        _queue = new SlotQueue<TKey>(_table, 0);
    }

    public long CapacityBytes { get; }
    public long SizeBytes => _queue.Bytes;
    public int Count => _queue.Count;
    public long Evictions { get; private set; }

    public bool TryGet(TKey key)
    {
        if (!_table.TryFind(key, out var slot))
        {
            return false;
        }

        _queue.MoveToFront(slot);
        return true;
    }

    public bool Admit(TKey key, long sizeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeBytes);
        Remove(key);
        if (sizeBytes > CapacityBytes)
        {
            return false;
        }

        while (_queue.Bytes + sizeBytes > CapacityBytes)
        {
            var victim = _queue.Tail;
            var victimKey = _table[victim].Key;
            _queue.Remove(victim);
            _table.Delete(victim);
            Evictions++;
            _evicted?.Invoke(victimKey);
        }

        _queue.AddFirst(_table.Add(key, sizeBytes));
        return true;
    }

    public bool Remove(TKey key)
    {
        if (!_table.TryFind(key, out var slot))
        {
            return false;
        }

        _queue.Remove(slot);
        _table.Delete(slot);
        return true;
    }
}
