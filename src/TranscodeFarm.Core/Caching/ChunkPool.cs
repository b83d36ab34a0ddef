namespace TranscodeFarm.Core.Caching;

/// <summary>
/// Fixed-size byte chunks for object bodies, kept for reuse once a body is released. Chunks are smaller than the
/// large-object heap threshold (85,000 bytes), so a chunk the pool drops is ordinary gen0/gen1 garbage, never memory that
/// waits for a full collection. The pool keeps at most <see cref="MaxFreeChunks"/>: sized from the memory budgets, it
/// never holds more than the bodies those budgets allow.
/// </summary>
public sealed class ChunkPool
{
    /// <summary>64 KiB: below the large-object heap threshold, and the size of one origin read.</summary>
    public const int DefaultChunkSize = 64 * 1024;

    private readonly byte[][] _free;
    private readonly Lock _gate = new();
    private int _freeCount;
    private long _rented;

    public ChunkPool(int chunkSize, int maxFreeChunks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        ArgumentOutOfRangeException.ThrowIfNegative(maxFreeChunks);
        ChunkSize = chunkSize;
        _free = new byte[maxFreeChunks][];
    }

    public int ChunkSize { get; }

    public int MaxFreeChunks => _free.Length;

    /// <summary>Chunks waiting for reuse.</summary>
    public int FreeChunks => Volatile.Read(ref _freeCount);

    public long FreeBytes => (long)FreeChunks * ChunkSize;

    /// <summary>Chunks rented and not yet returned: the bodies alive now. Once nothing is in flight or being sent, what is
    /// left is the cache's; more would be a body someone forgot to release.</summary>
    public long RentedChunks => Interlocked.Read(ref _rented);

    /// <summary>The number of chunks that hold <paramref name="bytes"/> (a partial last one counted), for sizing a pool.</summary>
    public static int ChunksFor(long bytes, int chunkSize) =>
        (int)Math.Min(int.MaxValue, (Math.Max(0, bytes) + chunkSize - 1) / chunkSize);

    /// <summary>A chunk of <see cref="ChunkSize"/> bytes, reused if one is free; its content is whatever was there.</summary>
    public byte[] Rent()
    {
        Interlocked.Increment(ref _rented);
        lock (_gate)
        {
            if (_freeCount > 0)
            {
                var chunk = _free[--_freeCount];
                _free[_freeCount] = null!;
                return chunk;
            }
        }

        return GC.AllocateUninitializedArray<byte>(ChunkSize);
    }

    /// <summary>Keeps <paramref name="chunk"/> for reuse, or drops it to the collector when the pool is full.</summary>
    public void Return(byte[] chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (chunk.Length != ChunkSize)
        {
            throw new ArgumentException($"a chunk of this pool has {ChunkSize} bytes, not {chunk.Length}", nameof(chunk));
        }

        Interlocked.Decrement(ref _rented);

        lock (_gate)
        {
            if (_freeCount < _free.Length)
            {
                _free[_freeCount++] = chunk;
            }
        }
    }
}
