namespace TranscodeFarm.Core.Caching;

/// <summary>
/// The heaviest keys of an unbounded stream in bounded memory: the Space-Saving sketch (Metwally, Agrawal and
/// El Abbadi, 2005) with a fixed number of counters. A key without a counter takes over the lightest one and inherits
/// its weight as error, so estimates never under-count and every key heavier than total/capacity always has a counter.
/// The counters sit in a min-heap indexed by key: Observe is O(log capacity), under one lock.
/// </summary>
public sealed class TopKeys
{
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal); // key → index in _heap
    private readonly Counter[] _heap; // min-heap by weight: the lightest counter, the one to take over, is at 0
    private readonly Lock _gate = new();
    private int _used;

    public TopKeys(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _heap = new Counter[capacity];
    }

    public int Capacity => _heap.Length;

    /// <summary>How many counters hold a key.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _used;
            }
        }
    }

    public void Observe(string key, long weight = 1)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegative(weight);
        if (weight == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_slots.TryGetValue(key, out var slot))
            {
                _heap[slot].Weight += weight;
                SiftDown(slot);
            }
            else if (_used < _heap.Length)
            {
                _heap[_used] = new Counter(key, weight, 0);
                _slots[key] = _used;
                SiftUp(_used++);
            }
            else
            {
                var lightest = _heap[0];
                _slots.Remove(lightest.Key);
                _heap[0] = new Counter(key, lightest.Weight + weight, lightest.Weight);
                _slots[key] = 0;
                SiftDown(0);
            }
        }
    }

    /// <summary>The <paramref name="k"/> heaviest keys by estimated weight, heaviest first (ties: smaller error, then key).</summary>
    public IReadOnlyList<KeyEstimate> Snapshot(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        KeyEstimate[] all;
        lock (_gate)
        {
            all = new KeyEstimate[_used];
            for (var i = 0; i < _used; i++)
            {
                all[i] = new KeyEstimate(_heap[i].Key, _heap[i].Weight, _heap[i].Error);
            }
        }

        // Sorted outside the lock: this runs on a timer, Observe on every request.
        Array.Sort(all, static (a, b) => a.Weight != b.Weight ? b.Weight.CompareTo(a.Weight)
            : a.Error != b.Error ? a.Error.CompareTo(b.Error)
            : string.CompareOrdinal(a.Key, b.Key));
        return k >= all.Length ? all : all[..k];
    }

    /// <summary>
    /// Halves every weight (and error), freeing the counters that reach zero, so the sketch weighs recent traffic
    /// more than old: after n calls, what was observed before them counts 1/2^n.
    /// </summary>
    public void Decay()
    {
        lock (_gate)
        {
            var kept = 0;
            _slots.Clear();
            for (var i = 0; i < _used; i++)
            {
                var c = _heap[i];
                if (c.Weight / 2 > 0)
                {
                    _heap[kept] = new Counter(c.Key, c.Weight / 2, c.Error / 2);
                    _slots[c.Key] = kept++;
                }
            }

            Array.Clear(_heap, kept, _used - kept);
            _used = kept;

            // Halving keeps the heap order (x <= y implies x/2 <= y/2), but dropping counters moved the survivors.
            for (var i = (_used / 2) - 1; i >= 0; i--)
            {
                SiftDown(i);
            }
        }
    }

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (_heap[parent].Weight <= _heap[i].Weight)
            {
                return;
            }

            Swap(i, parent);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            var smallest = i;
            var left = (2 * i) + 1;
            var right = left + 1;
            if (left < _used && _heap[left].Weight < _heap[smallest].Weight)
            {
                smallest = left;
            }

            if (right < _used && _heap[right].Weight < _heap[smallest].Weight)
            {
                smallest = right;
            }

            if (smallest == i)
            {
                return;
            }

            Swap(i, smallest);
            i = smallest;
        }
    }

    private void Swap(int a, int b)
    {
        (_heap[a], _heap[b]) = (_heap[b], _heap[a]);
        _slots[_heap[a].Key] = a;
        _slots[_heap[b].Key] = b;
    }

    private struct Counter(string key, long weight, long error)
    {
        public readonly string Key = key;
        public long Weight = weight;
        public readonly long Error = error;
    }
}
