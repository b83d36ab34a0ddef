using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Encryption;

namespace TranscodeFarm.Core.Tests.Packaging;

public class PendingSegmentTests
{
    [Fact]
    public void Samples_come_out_back_to_back_across_chunks_and_a_reset_starts_over()
    {
        using var segment = new PendingSegment();
        var expected = new List<byte>();
        for (var i = 0; i < 40; i++)
        {
            // ~2.5 MB in all, the last samples larger than a 1 MiB chunk: several chunks, one of a sample's own size.
            var sample = Enumerable.Repeat((byte)i, i < 38 ? 1000 + (i * 997) : (1 << 20) + 3).ToArray();
            var lent = segment.Append(sample);
            lent[0] ^= 0xFF; // encrypted in place, as the packager does
            expected.AddRange(sample);
            expected[^sample.Length] ^= 0xFF;
            segment.Add(new SegmentSample(i * 512, 512, 0, 0, sample.Length, 0, 0, 0));
        }

        Assert.Equal(40, segment.Count);
        Assert.Equal(expected, Data(segment));
        Assert.Equal(40 * 512, segment.Duration);

        segment.Subsamples.Add(new Subsample(1, 16));
        segment.ClearLead = true;
        segment.Reset();
        Assert.True(segment.IsEmpty);
        Assert.Empty(segment.Subsamples);
        Assert.False(segment.ClearLead);
        Assert.Equal([7, 7], segment.Append([7, 7]).ToArray());
        Assert.Equal([7, 7], Data(segment));
    }

    private static byte[] Data(PendingSegment segment)
    {
        var data = new byte[segment.DataLength];
        segment.CopyDataTo(data);
        return data;
    }
}
