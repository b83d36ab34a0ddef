namespace TranscodeFarm.Core.Caching.Policies;

/// <summary>
/// The entries of a policy in one growable array of structs, linked by index into the policy's queues
/// (<see cref="SlotQueue{TKey}"/>). Freed slots are reused, so a warm policy allocates nothing per operation, and the
/// garbage collector sees a few arrays instead of a node object per cached segment.
/// </summary>
internal sealed class EntryTable<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, int> _index = [];
    private Entry[] _entries = new Entry[16];
    private int _used;
    private int _free = -1;

    public int Count => _index.Count;

    public ref Entry this[int slot] => ref _entries[slot];

    public bool TryFind(TKey key, out int slot) => _index.TryGetValue(key, out slot);

    public int Add(TKey key, long size)
    {
        int slot;
        if (_free >= 0)
        {
            slot = _free;
            _free = _entries[slot].Next;
        }
        else
        {
            if (_used == _entries.Length)
            {
                Array.Resize(ref _entries, _entries.Length * 2);
            }

            slot = _used++;
        }

        _entries[slot] = new Entry { Key = key, Size = size, Prev = -1, Next = -1 };
        _index.Add(key, slot);
        return slot;
    }

    /// <summary>Frees a slot; the caller has unlinked it from its queue first.</summary>
    public void Delete(int slot)
    {
        ref var e = ref _entries[slot];
        _index.Remove(e.Key);
        e = new Entry { Next = _free, Prev = -1 };
        _free = slot;
    }

    internal struct Entry
    {
        public TKey Key;
        public long Size;
        public int Prev;
        public int Next;

        /// <summary>Accesses since insertion (S3-FIFO), saturating.</summary>
        public byte Freq;

        /// <summary>Which queue of the policy holds it.</summary>
        public byte Queue;
    }
}
