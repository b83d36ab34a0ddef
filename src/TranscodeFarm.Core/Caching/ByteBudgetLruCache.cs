namespace TranscodeFarm.Core.Caching;

/// <summary>
/// A least-recently-used cache bounded by the total size of its values, not their count: an edge caches
/// segments of very different sizes. Thread-safe with one lock; operations are O(1). An entry that leaves (evicted,
/// replaced, removed, purged) is handed to the removal callback, called outside the lock so that it may take other locks
/// or release what the value holds.
/// </summary>
public sealed class ByteBudgetLruCache<TValue>
{
    private readonly Dictionary<string, LinkedListNode<Entry>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _order = new();
    private readonly Lock _gate = new();
    private readonly Action<string, TValue>? _removed;

    public ByteBudgetLruCache(long budgetBytes, Action<string, TValue>? removed = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budgetBytes);
        BudgetBytes = budgetBytes;
        _removed = removed;
    }

    public long BudgetBytes { get; }
    public long SizeBytes { get; private set; }

    /// <summary>Entries pushed out to make room, since creation.</summary>
    public long Evictions { get; private set; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _map.Count;
            }
        }
    }

    public bool TryGet(string key, out TValue value)
    {
        lock (_gate)
        {
            if (_map.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                value = node.Value.Value;
                return true;
            }
        }

        value = default!;
        return false;
    }

    /// <summary>
    /// Adds or replaces; evicts least-recently-used entries to stay within budget. Too-large values are refused (false):
    /// the cache never held them, so the removal callback is not called for them.
    /// </summary>
    public bool Set(string key, TValue value, long size)
    {
        if (size > BudgetBytes)
        {
            return false;
        }

        List<Entry>? gone = null;
        lock (_gate)
        {
            if (_map.Remove(key, out var old))
            {
                _order.Remove(old);
                SizeBytes -= old.Value.Size;
                (gone ??= []).Add(old.Value);
            }

            while (SizeBytes + size > BudgetBytes && _order.Last is { } last)
            {
                _order.RemoveLast();
                _map.Remove(last.Value.Key);
                SizeBytes -= last.Value.Size;
                Evictions++;
                (gone ??= []).Add(last.Value);
            }

            _map[key] = _order.AddFirst(new Entry(key, value, size));
            SizeBytes += size;
        }

        Removed(gone);
        return true;
    }

    public bool Remove(string key)
    {
        Entry entry;
        lock (_gate)
        {
            if (!_map.Remove(key, out var node))
            {
                return false;
            }

            _order.Remove(node);
            SizeBytes -= node.Value.Size;
            entry = node.Value;
        }

        _removed?.Invoke(entry.Key, entry.Value);
        return true;
    }

    /// <summary>Removes every entry whose key matches (a purge by prefix); O(n), purges are rare.</summary>
    public int RemoveWhere(Func<string, bool> match)
    {
        var gone = new List<Entry>();
        lock (_gate)
        {
            foreach (var key in _map.Keys.Where(match).ToList())
            {
                var node = _map[key];
                _map.Remove(key);
                _order.Remove(node);
                SizeBytes -= node.Value.Size;
                gone.Add(node.Value);
            }
        }

        Removed(gone);
        return gone.Count;
    }

    private void Removed(List<Entry>? gone)
    {
        if (_removed is null || gone is null)
        {
            return;
        }

        foreach (var entry in gone)
        {
            _removed(entry.Key, entry.Value);
        }
    }

    private sealed record Entry(string Key, TValue Value, long Size);
}
