using System.Buffers;
using System.Runtime.InteropServices;
using TranscodeFarm.Core.Packaging;

namespace TranscodeFarm.Core.Tests.Packaging;

public class PooledBytesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Bytes_spread_over_buffer_segments_come_out_whole_and_in_order(int chunk)
    {
        var data = Enumerable.Range(0, 10_000).Select(i => (byte)(i * 31)).ToArray();
        var sequence = PackagingFixture.Chunked(data, chunk).Slice(3, 9_990); // a box starts and ends inside segments

        using var bytes = PooledBytes.From(sequence);

        Assert.True(bytes.IsCopy);
        Assert.Equal(data.AsSpan(3, 9_990).ToArray(), bytes.Memory.ToArray());
    }

    [Fact]
    public void Bytes_in_one_segment_are_lent_as_they_are_without_a_copy()
    {
        var data = new byte[100];
        using var bytes = PooledBytes.From(new ReadOnlySequence<byte>(data).Slice(10, 50));

        Assert.False(bytes.IsCopy);
        Assert.True(MemoryMarshal.TryGetArray(bytes.Memory, out var segment));
        Assert.Same(data, segment.Array);
        Assert.Equal(10, segment.Offset);
        Assert.Equal(50, segment.Count);
    }
}
