namespace TranscodeFarm.Core.Caching;

/// <summary>
/// An object's body in chunks of a <see cref="ChunkPool"/>, shared by whoever holds a reference: the fetch filling it,
/// the cache, every request reading it. It is created with one reference; the last <see cref="Release"/> hands its chunks
/// back to the pool at once, so an evicted body's memory serves the next fill instead of waiting for the collector.
/// A partial last chunk is an exact-size array of its own (small manifests cost their size, not a chunk) and is not pooled.
/// </summary>
public sealed class PooledBody
{
    private readonly ChunkPool _pool;
    private readonly byte[][] _chunks;
    private int _references = 1;

    public PooledBody(ChunkPool pool, long length)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _pool = pool;
        Length = length;
        _chunks = new byte[ChunkPool.ChunksFor(length, pool.ChunkSize)][];
        var full = (int)(length / pool.ChunkSize);
        for (var i = 0; i < full; i++)
        {
            _chunks[i] = pool.Rent();
        }

        if (full < _chunks.Length)
        {
            _chunks[full] = GC.AllocateUninitializedArray<byte>((int)(length - ((long)full * pool.ChunkSize)));
        }
    }

    public long Length { get; }

    /// <summary>Takes one more reference, unless the body was already released by its last holder (then false: it is gone).</summary>
    public bool TryRetain()
    {
        var seen = Volatile.Read(ref _references);
        while (seen > 0)
        {
            var before = Interlocked.CompareExchange(ref _references, seen + 1, seen);
            if (before == seen)
            {
                return true;
            }

            seen = before;
        }

        return false;
    }

    /// <summary>Drops one reference; the last one returns the full chunks to the pool. Every holder releases exactly once.</summary>
    public void Release()
    {
        var left = Interlocked.Decrement(ref _references);
        if (left > 0)
        {
            return;
        }

        if (left < 0)
        {
            throw new InvalidOperationException("a pooled body was released more often than it was retained");
        }

        foreach (var chunk in _chunks)
        {
            if (chunk.Length == _pool.ChunkSize)
            {
                _pool.Return(chunk);
            }
        }
    }

    /// <summary>Where the filler writes the bytes at <paramref name="offset"/>: up to the end of that offset's chunk.</summary>
    public Memory<byte> WritableAt(long offset)
    {
        var (chunk, start) = Locate(offset);
        return chunk.AsMemory(start);
    }

    /// <summary>
    /// The bytes from <paramref name="offset"/> to the end of its chunk, at most <paramref name="count"/>: a reader walks a
    /// range piece by piece (each piece is contiguous; a range across chunks takes several).
    /// </summary>
    public ReadOnlyMemory<byte> Piece(long offset, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > Length - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"{count} bytes from {offset} run past the body's {Length}");
        }

        var (chunk, start) = Locate(offset);
        return chunk.AsMemory(start, (int)Math.Min(count, chunk.Length - start));
    }

    /// <summary>Copies <paramref name="destination"/>.Length bytes from <paramref name="offset"/>.</summary>
    public void CopyTo(long offset, Span<byte> destination)
    {
        var copied = 0;
        while (copied < destination.Length)
        {
            var piece = Piece(offset + copied, destination.Length - copied).Span;
            piece.CopyTo(destination[copied..]);
            copied += piece.Length;
        }
    }

    /// <summary>The whole body as one array: for small objects (manifests) that are decoded and rewritten.</summary>
    public byte[] ToArray()
    {
        var whole = GC.AllocateUninitializedArray<byte>(checked((int)Length));
        CopyTo(0, whole);
        return whole;
    }

    private (byte[] Chunk, int Start) Locate(long offset)
    {
        if (Volatile.Read(ref _references) <= 0)
        {
            throw new ObjectDisposedException(nameof(PooledBody), "the body was released: its chunks may already hold another object");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(offset, Length);
        return (_chunks[offset / _pool.ChunkSize], (int)(offset % _pool.ChunkSize));
    }
}
