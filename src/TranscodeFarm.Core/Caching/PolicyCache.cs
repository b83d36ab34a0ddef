using TranscodeFarm.Core.Caching.Policies;

namespace TranscodeFarm.Core.Caching;

/// <summary>
/// A byte-bounded cache of values whose keeping is decided by an <see cref="ICachePolicy{TKey}"/> (S3-FIFO by default,
/// decision 025): the policy holds keys and sizes, this holds the values, under one lock. Values that leave — evicted,
/// refused, replaced, removed or purged — are handed to the removal callback outside the lock (the edge releases its
/// reference to the body there).
/// </summary>
public sealed class PolicyCache<TValue>
{
    private readonly Dictionary<string, TValue> _values = new(StringComparer.Ordinal);
    private readonly ICachePolicy<string> _policy;
    private readonly Action<string, TValue>? _removed;
    private readonly List<KeyValuePair<string, TValue>> _leaving = [];
    private readonly Lock _gate = new();

    /// <param name="createPolicy">Makes the policy from its eviction callback (called under this cache's lock).</param>
    public PolicyCache(Func<Action<string>, ICachePolicy<string>> createPolicy, Action<string, TValue>? removed = null)
    {
        ArgumentNullException.ThrowIfNull(createPolicy);
        _removed = removed;
        _policy = createPolicy(OnEvicted);
    }

    public long BudgetBytes => _policy.CapacityBytes;

    public long SizeBytes
    {
        get
        {
            lock (_gate)
            {
                return _policy.SizeBytes;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _values.Count;
            }
        }
    }

    /// <summary>Objects pushed out to make room, since creation.</summary>
    public long Evictions
    {
        get
        {
            lock (_gate)
            {
                return _policy.Evictions;
            }
        }
    }

    /// <summary>Whether the key is held, without counting a request (the policy's view of popularity is unchanged).</summary>
    public bool Contains(string key)
    {
        lock (_gate)
        {
            return _values.ContainsKey(key);
        }
    }

    /// <summary>A lookup: counted by the policy as a request, hit or miss.</summary>
    public bool TryGet(string key, out TValue value)
    {
        lock (_gate)
        {
            if (_policy.TryGet(key) && _values.TryGetValue(key, out value!))
            {
                return true;
            }
        }

        value = default!;
        return false;
    }

    /// <summary>Offers a value after a miss (or replaces one); false when the policy keeps it out (the caller still owns it).</summary>
    public bool Set(string key, TValue value, long size)
    {
        List<KeyValuePair<string, TValue>> leaving;
        bool kept;
        lock (_gate)
        {
            if (_values.Remove(key, out var old))
            {
                _policy.Remove(key);
                _leaving.Add(new(key, old));
            }

            kept = _policy.Admit(key, size);
            if (kept)
            {
                _values[key] = value;
            }

            leaving = TakeLeaving();
        }

        Hand(leaving);
        return kept;
    }

    public bool Remove(string key)
    {
        TValue value;
        lock (_gate)
        {
            if (!_values.Remove(key, out value!))
            {
                return false;
            }

            _policy.Remove(key);
        }

        _removed?.Invoke(key, value);
        return true;
    }

    /// <summary>Removes every entry whose key matches (a purge by prefix); O(n), purges are rare.</summary>
    public int RemoveWhere(Func<string, bool> match)
    {
        List<KeyValuePair<string, TValue>> leaving;
        lock (_gate)
        {
            foreach (var key in _values.Keys.Where(match).ToList())
            {
                _leaving.Add(new(key, _values[key]));
                _values.Remove(key);
                _policy.Remove(key);
            }

            leaving = TakeLeaving();
        }

        Hand(leaving);
        return leaving.Count;
    }

    /// <summary>The policy's eviction callback, under the lock: the value leaves with its key.</summary>
    private void OnEvicted(string key)
    {
        if (_values.Remove(key, out var value))
        {
            _leaving.Add(new(key, value));
        }
    }

    private List<KeyValuePair<string, TValue>> TakeLeaving()
    {
        var taken = _leaving.ToList();
        _leaving.Clear();
        return taken;
    }

    private void Hand(List<KeyValuePair<string, TValue>> leaving)
    {
        foreach (var (key, value) in leaving)
        {
            _removed?.Invoke(key, value);
        }
    }
}
