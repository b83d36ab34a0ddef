namespace TranscodeFarm.Core.Caching.Policies;

/// <summary>
/// S3-FIFO (Yang et al., SOSP'23, "FIFO queues are all you need for cache eviction"), weighted by bytes. New objects
/// enter a small FIFO (~10% of the bytes) that filters one-hit wonders quickly; an object accessed while in it moves to
/// the main FIFO when it reaches the tail, the rest leave and their keys go to a ghost FIFO. An object whose key is
/// still in the ghost goes straight to main when it is fetched again. Main evicts from its tail, giving objects accessed
/// since their last pass another round (lazy promotion with a 2-bit counter) instead of moving them on every hit.
/// </summary>
public sealed class S3FifoPolicy<TKey> : ICachePolicy<TKey>
    where TKey : notnull
{
    /// <summary>The paper's small-queue share, kept: it found 10% robust across traces.</summary>
    public const double DefaultSmallShare = 0.10;

    private const byte MaxFreq = 3;
    private readonly EntryTable<TKey> _table = new();
    private readonly SlotQueue<TKey> _small;
    private readonly SlotQueue<TKey> _main;
    private readonly SlotQueue<TKey> _ghost;
    private readonly long _smallTarget;
    private readonly Action<TKey>? _evicted;

    public S3FifoPolicy(long capacityBytes, Action<TKey>? evicted = null, double smallShare = DefaultSmallShare)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(smallShare, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(smallShare, 1.0);
        CapacityBytes = capacityBytes;
        _smallTarget = (long)(capacityBytes * smallShare);
        _evicted = evicted;
        _small = new SlotQueue<TKey>(_table, 0);
        _main = new SlotQueue<TKey>(_table, 1);
        _ghost = new SlotQueue<TKey>(_table, 2);
    }

    public long CapacityBytes { get; }
    public long SizeBytes => _small.Bytes + _main.Bytes;
    public int Count => _small.Count + _main.Count;
    public long Evictions { get; private set; }

    /// <summary>The ghost remembers as many bytes of keys as main holds: the paper's "as many entries as main", by bytes.</summary>
    private long GhostBudget => CapacityBytes - _smallTarget;

    public bool TryGet(TKey key)
    {
        if (!_table.TryFind(key, out var slot))
        {
            return false;
        }

        ref var e = ref _table[slot];
        if (e.Queue == _ghost.Id)
        {
            return false;
        }

        if (e.Freq < MaxFreq)
        {
            e.Freq++;
        }

        return true;
    }

    public bool Admit(TKey key, long sizeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeBytes);
        var wasGhost = _table.TryFind(key, out var old) && _table[old].Queue == _ghost.Id;
        Forget(key);
        if (sizeBytes > CapacityBytes)
        {
            return false;
        }

        // Make room first, so the newcomer is never its own victim.
        while (SizeBytes + sizeBytes > CapacityBytes)
        {
            EvictOne();
        }

        var slot = _table.Add(key, sizeBytes);
        (wasGhost ? _main : _small).AddFirst(slot);
        return true;
    }

    public bool Remove(TKey key)
    {
        var resident = _table.TryFind(key, out var slot) && _table[slot].Queue != _ghost.Id;
        Forget(key);
        return resident;
    }

    private void Forget(TKey key)
    {
        if (_table.TryFind(key, out var slot))
        {
            QueueOf(slot).Remove(slot);
            _table.Delete(slot);
        }
    }

    private SlotQueue<TKey> QueueOf(int slot)
    {
        var id = _table[slot].Queue;
        return id == _small.Id ? _small : id == _main.Id ? _main : _ghost;
    }

    private void EvictOne()
    {
        if (_small.Count > 0 && (_small.Bytes >= _smallTarget || _main.Count == 0))
        {
            EvictFromSmall();
        }
        else
        {
            EvictFromMain();
        }
    }

    /// <summary>Moves accessed objects from the tail of small to main until one leaves (or small is empty).</summary>
    private void EvictFromSmall()
    {
        while (_small.Tail >= 0)
        {
            var slot = _small.Tail;
            ref var e = ref _table[slot];
            _small.Remove(slot);
            if (e.Freq > 0)
            {
                e.Freq = 0;
                _main.AddFirst(slot);
                continue;
            }

            var key = e.Key;
            _ghost.AddFirst(slot);
            while (_ghost.Bytes > GhostBudget && _ghost.Tail >= 0)
            {
                var oldest = _ghost.Tail;
                _ghost.Remove(oldest);
                _table.Delete(oldest);
            }

            Evicted(key);
            return;
        }
    }

    /// <summary>Evicts the first object at main's tail not accessed since its last pass; the others go round again.</summary>
    private void EvictFromMain()
    {
        while (_main.Tail >= 0)
        {
            var slot = _main.Tail;
            ref var e = ref _table[slot];
            if (e.Freq > 0)
            {
                e.Freq--;
                _main.MoveToFront(slot);
                continue;
            }

            var key = e.Key;
            _main.Remove(slot);
            _table.Delete(slot);
            Evicted(key);
            return;
        }
    }

    private void Evicted(TKey key)
    {
        Evictions++;
        _evicted?.Invoke(key);
    }
}
