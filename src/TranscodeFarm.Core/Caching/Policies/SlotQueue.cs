namespace TranscodeFarm.Core.Caching.Policies;

/// <summary>A doubly linked queue of <see cref="EntryTable{TKey}"/> slots with its byte total; head = newest.</summary>
internal sealed class SlotQueue<TKey>(EntryTable<TKey> table, byte id)
    where TKey : notnull
{
    public int Head { get; private set; } = -1;
    public int Tail { get; private set; } = -1;
    public int Count { get; private set; }
    public long Bytes { get; private set; }
    public byte Id => id;

    public void AddFirst(int slot)
    {
        ref var e = ref table[slot];
        e.Queue = id;
        e.Prev = -1;
        e.Next = Head;
        if (Head >= 0)
        {
            table[Head].Prev = slot;
        }
        else
        {
            Tail = slot;
        }

        Head = slot;
        Bytes += e.Size;
        Count++;
    }

    public void Remove(int slot)
    {
        ref var e = ref table[slot];
        if (e.Prev >= 0)
        {
            table[e.Prev].Next = e.Next;
        }
        else
        {
            Head = e.Next;
        }

        if (e.Next >= 0)
        {
            table[e.Next].Prev = e.Prev;
        }
        else
        {
            Tail = e.Prev;
        }

        e.Prev = e.Next = -1;
        Bytes -= e.Size;
        Count--;
    }

    public void MoveToFront(int slot)
    {
        if (Head != slot)
        {
            Remove(slot);
            AddFirst(slot);
        }
    }
}
