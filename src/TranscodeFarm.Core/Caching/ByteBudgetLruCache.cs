namespace TranscodeFarm.Core.Caching;

/// <summary>
/// A least-recently-used cache bounded by the total size of its values, not their count: an edge caches
/// segments of very different sizes. Thread-safe with one lock; operations are O(1).
/// </summary>
public sealed class ByteBudgetLruCache<TValue>
{
    private readonly Dictionary<string, LinkedListNode<Entry>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _order = new();
    private readonly Lock _gate = new();

    public ByteBudgetLruCache(long budgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budgetBytes);
        BudgetBytes = budgetBytes;
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

    /// <summary>Adds or replaces; evicts least-recently-used entries to stay within budget. Too-large values are refused.</summary>
    public bool Set(string key, TValue value, long size)
    {
        if (size > BudgetBytes)
        {
            return false;
        }

        lock (_gate)
        {
            if (_map.Remove(key, out var old))
            {
                _order.Remove(old);
                SizeBytes -= old.Value.Size;
            }

            while (SizeBytes + size > BudgetBytes && _order.Last is { } last)
            {
                _order.RemoveLast();
                _map.Remove(last.Value.Key);
                SizeBytes -= last.Value.Size;
                Evictions++;
            }

            _map[key] = _order.AddFirst(new Entry(key, value, size));
            SizeBytes += size;
            return true;
        }
    }

    public bool Remove(string key)
    {
        lock (_gate)
        {
            if (!_map.Remove(key, out var node))
            {
                return false;
            }

            _order.Remove(node);
            SizeBytes -= node.Value.Size;
            return true;
        }
    }

    /// <summary>Removes every entry whose key matches (a purge by prefix); O(n), purges are rare.</summary>
    public int RemoveWhere(Func<string, bool> match)
    {
        lock (_gate)
        {
            var doomed = _map.Keys.Where(match).ToList();
            foreach (var key in doomed)
            {
                var node = _map[key];
                _map.Remove(key);
                _order.Remove(node);
                SizeBytes -= node.Value.Size;
            }

            return doomed.Count;
        }
    }

    private sealed record Entry(string Key, TValue Value, long Size);
}
