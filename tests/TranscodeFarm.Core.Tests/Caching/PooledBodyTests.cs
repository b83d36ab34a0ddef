using TranscodeFarm.Core.Caching;

namespace TranscodeFarm.Core.Tests.Caching;

public class PooledBodyTests
{
    private const int Chunk = 16;

    [Fact]
    public void A_body_released_by_its_last_holder_cannot_be_retained_again()
    {
        var body = new PooledBody(new ChunkPool(Chunk, 8), 40);
        Assert.True(body.TryRetain());
        body.Release();
        body.Release();

        Assert.False(body.TryRetain());
        Assert.Throws<ObjectDisposedException>(() => body.Piece(0, 1));
        Assert.Throws<InvalidOperationException>(body.Release);
    }

    [Fact]
    public void Full_chunks_go_back_to_the_pool_at_the_last_release_and_serve_the_next_body()
    {
        var pool = new ChunkPool(Chunk, 8);
        var first = new PooledBody(pool, 2 * Chunk + 5); // two pooled chunks and a 5-byte tail of its own
        var firstChunks = new[] { ChunkOf(first, 0), ChunkOf(first, Chunk) };
        Assert.True(first.TryRetain());

        first.Release();
        Assert.Equal(0, pool.FreeChunks); // a reader still holds it

        first.Release();
        Assert.Equal(2, pool.FreeChunks);
        Assert.Equal(2 * Chunk, pool.FreeBytes);

        var second = new PooledBody(pool, 2 * Chunk);
        Assert.Equal(0, pool.FreeChunks);
        Assert.Equal(firstChunks.ToHashSet(), new[] { ChunkOf(second, 0), ChunkOf(second, Chunk) }.ToHashSet());
    }

    [Fact]
    public void The_pool_keeps_no_more_free_chunks_than_its_bound()
    {
        var pool = new ChunkPool(Chunk, 3);
        var bodies = Enumerable.Range(0, 3).Select(_ => new PooledBody(pool, 2 * Chunk)).ToList();
        bodies.ForEach(b => b.Release());

        Assert.Equal(3, pool.FreeChunks);
        Assert.Equal(3, pool.MaxFreeChunks);
        Assert.Equal(0, pool.RentedChunks); // the three dropped to the collector are no longer counted as alive
    }

    [Fact]
    public void Rented_chunks_count_the_bodies_alive()
    {
        var pool = new ChunkPool(Chunk, 8);
        var a = new PooledBody(pool, 3 * Chunk);
        var b = new PooledBody(pool, Chunk + 1); // one pooled chunk, the tail is its own
        Assert.Equal(4, pool.RentedChunks);

        a.Release();
        Assert.Equal(1, pool.RentedChunks);
        b.Release();
        Assert.Equal(0, pool.RentedChunks);
    }

    [Fact]
    public void A_short_body_takes_no_chunk_from_the_pool()
    {
        var pool = new ChunkPool(Chunk, 4);
        pool.Return(new byte[Chunk]);
        var manifest = new PooledBody(pool, 5);
        Fill(manifest);

        Assert.Equal(1, pool.FreeChunks);
        Assert.Equal(5, manifest.Piece(0, 5).Length);
        manifest.Release();
        Assert.Equal(1, pool.FreeChunks);
    }

    [Theory]
    [InlineData(0, 50)]   // the whole body: four pieces
    [InlineData(10, 12)]  // across one boundary
    [InlineData(16, 16)]  // exactly one chunk
    [InlineData(47, 3)]   // inside the partial tail
    [InlineData(15, 33)]  // from the last byte of a chunk to the end
    public void A_range_reads_back_the_bytes_written_piece_by_piece(int from, int count)
    {
        var body = new PooledBody(new ChunkPool(Chunk, 8), 50);
        var expected = Fill(body);

        var read = new List<byte>();
        var pieces = 0;
        while (read.Count < count)
        {
            var piece = body.Piece(from + read.Count, count - read.Count);
            Assert.True(piece.Length is > 0 and <= Chunk);
            read.AddRange(piece.ToArray());
            pieces++;
        }

        Assert.Equal(expected.AsSpan(from, count).ToArray(), read.ToArray());
        Assert.Equal(((from + count - 1) / Chunk) - (from / Chunk) + 1, pieces);
    }

    [Fact]
    public void Copy_and_to_array_join_the_chunks()
    {
        var body = new PooledBody(new ChunkPool(Chunk, 8), 50);
        var expected = Fill(body);

        Assert.Equal(expected, body.ToArray());
        var middle = new byte[30];
        body.CopyTo(9, middle);
        Assert.Equal(expected.AsSpan(9, 30).ToArray(), middle);
        Assert.Empty(new PooledBody(new ChunkPool(Chunk, 8), 0).ToArray());
    }

    [Fact]
    public void A_piece_never_runs_past_the_body()
    {
        var body = new PooledBody(new ChunkPool(Chunk, 8), 20);
        Assert.Throws<ArgumentOutOfRangeException>(() => body.Piece(10, 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => body.Piece(20, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => body.WritableAt(-1));
    }

    [Fact]
    public void Concurrent_retains_and_releases_free_the_body_exactly_once()
    {
        var pool = new ChunkPool(Chunk, 64);
        var body = new PooledBody(pool, 4 * Chunk);
        Parallel.For(0, 10_000, _ =>
        {
            if (body.TryRetain())
            {
                body.Release();
            }
        });

        Assert.Equal(0, pool.FreeChunks);
        body.Release();
        Assert.Equal(4, pool.FreeChunks);
    }

    /// <summary>Writes a known pattern through the filler's view, as the edge's fetch does.</summary>
    private static byte[] Fill(PooledBody body)
    {
        var expected = Enumerable.Range(0, (int)body.Length).Select(i => (byte)(i * 7 + 3)).ToArray();
        var written = 0;
        while (written < body.Length)
        {
            var target = body.WritableAt(written);
            var n = Math.Min(target.Length, expected.Length - written);
            expected.AsSpan(written, n).CopyTo(target.Span);
            written += n;
        }

        return expected;
    }

    private static byte[] ChunkOf(PooledBody body, long offset) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(body.Piece(offset, 1), out var segment) ? segment.Array! : throw new InvalidOperationException();
}
