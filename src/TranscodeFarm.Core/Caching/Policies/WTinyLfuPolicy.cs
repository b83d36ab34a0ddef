namespace TranscodeFarm.Core.Caching.Policies;

/// <summary>
/// W-TinyLFU (Einziger, Friedman, Manes; Caffeine's design), weighted by bytes. New objects enter a small LRU window
/// (~1% of the bytes) that absorbs bursts; the window's oldest object is then a candidate for the main cache, an SLRU
/// (probation, and protected for objects hit again there, ~80% of main). The admission filter compares the candidate
/// with the victims at main's tail it would displace, by estimated bytes served: frequency × size of the candidate
/// against the sum over the victims, frequencies from a count-min sketch with aging. A byte of cache is worth its
/// object's request rate whatever the object's size, so for the byte hit ratio the comparison must weigh sizes.
/// </summary>
public sealed class WTinyLfuPolicy<TKey> : ICachePolicy<TKey>
    where TKey : notnull
{
    public const double DefaultWindowShare = 0.01;
    public const double DefaultProtectedShare = 0.80;

    /// <summary>
    /// Sizes the sketch: one counter per this many bytes of capacity, about four per mean h264-cmaf segment (~1.2 MB).
    /// Caffeine sizes its sketch to the entry count; with a quarter of a segment per counter there are fewer collisions
    /// and a longer aging period (10 × width), worth 0.5–1.5 points of byte hit ratio in the replay (decision 025) for
    /// 4 bytes of counters per 256 KiB cached.
    /// </summary>
    public const long DefaultBytesPerCounter = 256 << 10;

    private readonly EntryTable<TKey> _table = new();
    private readonly SlotQueue<TKey> _window;
    private readonly SlotQueue<TKey> _probation;
    private readonly SlotQueue<TKey> _protected;
    private readonly FrequencySketch<TKey> _sketch;
    private readonly long _windowTarget;
    private readonly long _mainCapacity;
    private readonly long _protectedTarget;
    private readonly Action<TKey>? _evicted;

    /// <summary>The slot being admitted now: refusing it is the answer to Admit, not an eviction to report.</summary>
    private int _admitting = -1;

    public WTinyLfuPolicy(
        long capacityBytes,
        Action<TKey>? evicted = null,
        double windowShare = DefaultWindowShare,
        double protectedShare = DefaultProtectedShare,
        long bytesPerCounter = DefaultBytesPerCounter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowShare, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowShare, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytesPerCounter);
        CapacityBytes = capacityBytes;
        _windowTarget = (long)(capacityBytes * windowShare);
        _mainCapacity = capacityBytes - _windowTarget;
        _protectedTarget = (long)(_mainCapacity * protectedShare);
        _evicted = evicted;
        _sketch = new FrequencySketch<TKey>(capacityBytes / bytesPerCounter);
        _window = new SlotQueue<TKey>(_table, 0);
        _probation = new SlotQueue<TKey>(_table, 1);
        _protected = new SlotQueue<TKey>(_table, 2);
    }

    public long CapacityBytes { get; }
    public long SizeBytes => _window.Bytes + _probation.Bytes + _protected.Bytes;
    public int Count => _table.Count;
    public long Evictions { get; private set; }

    public bool TryGet(TKey key)
    {
        _sketch.Increment(key); // misses count too: that is how a newcomer earns admission
        if (!_table.TryFind(key, out var slot))
        {
            return false;
        }

        var queue = _table[slot].Queue;
        if (queue == _window.Id)
        {
            _window.MoveToFront(slot);
        }
        else if (queue == _protected.Id)
        {
            _protected.MoveToFront(slot);
        }
        else
        {
            Promote(slot);
        }

        return true;
    }

    public bool Admit(TKey key, long sizeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeBytes);
        Remove(key);
        if (sizeBytes > CapacityBytes || sizeBytes > Math.Max(_windowTarget, _mainCapacity))
        {
            return false;
        }

        _admitting = _table.Add(key, sizeBytes);
        _window.AddFirst(_admitting);
        while (_window.Bytes > _windowTarget)
        {
            var candidate = _window.Tail;
            _window.Remove(candidate);
            OfferToMain(candidate);
        }

        _admitting = -1;
        return _table.TryFind(key, out _);
    }

    public bool Remove(TKey key)
    {
        if (!_table.TryFind(key, out var slot))
        {
            return false;
        }

        QueueOf(slot).Remove(slot);
        _table.Delete(slot);
        return true;
    }

    /// <summary>A probation hit moves to protected; protected's oldest fall back to probation to keep its share.</summary>
    private void Promote(int slot)
    {
        _probation.Remove(slot);
        _protected.AddFirst(slot);
        while (_protected.Bytes > _protectedTarget && _protected.Tail != slot)
        {
            var demoted = _protected.Tail;
            _protected.Remove(demoted);
            _probation.AddFirst(demoted);
        }
    }

    /// <summary>
    /// Admits the window's candidate into main when there is room, or when the bytes it would serve exceed those of
    /// the victims it displaces (probation's tail first, then protected's); otherwise the candidate leaves.
    /// </summary>
    private void OfferToMain(int candidate)
    {
        var size = _table[candidate].Size;
        if (size > _mainCapacity)
        {
            Evict(candidate);
            return;
        }

        var need = _probation.Bytes + _protected.Bytes + size - _mainCapacity;
        if (need > 0)
        {
            var candidateValue = (long)_sketch.Estimate(_table[candidate].Key) * size;
            long victimValue = 0, freed = 0;
            for (var v = FirstVictim(); freed < need; v = NextVictim(v))
            {
                victimValue += (long)_sketch.Estimate(_table[v].Key) * _table[v].Size;
                freed += _table[v].Size;
                if (victimValue >= candidateValue)
                {
                    Evict(candidate); // ties keep the incumbents, as Caffeine does: churn costs origin fetches
                    return;
                }
            }

            while (need > 0)
            {
                var victim = FirstVictim();
                need -= _table[victim].Size;
                QueueOf(victim).Remove(victim);
                Evict(victim);
            }
        }

        _probation.AddFirst(candidate);
    }

    private int FirstVictim() => _probation.Tail >= 0 ? _probation.Tail : _protected.Tail;

    /// <summary>The next older-to-newer victim: up probation, then on to protected's tail.</summary>
    private int NextVictim(int slot)
    {
        var prev = _table[slot].Prev;
        return prev >= 0 ? prev : _table[slot].Queue == _probation.Id ? _protected.Tail : -1;
    }

    private SlotQueue<TKey> QueueOf(int slot)
    {
        var id = _table[slot].Queue;
        return id == _window.Id ? _window : id == _probation.Id ? _probation : _protected;
    }

    /// <summary>Drops an entry already unlinked from its queue.</summary>
    private void Evict(int slot)
    {
        var key = _table[slot].Key;
        _table.Delete(slot);
        if (slot != _admitting)
        {
            Evictions++;
            _evicted?.Invoke(key);
        }
    }
}
