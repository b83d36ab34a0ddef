using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Encryption;

namespace TranscodeFarm.Core.Tests.Packaging;

public class PendingSegmentTests
{
    [Fact]
    public void Samples_are_kept_back_to_back_as_the_buffer_grows_and_a_reset_starts_over()
    {
        using var segment = new PendingSegment();
        var expected = new List<byte>();
        for (var i = 0; i < 40; i++)
        {
            var sample = Enumerable.Repeat((byte)i, 1000 + (i * 997)).ToArray(); // ~800 KB in all: several regrowths
            var lent = segment.Append(sample);
            lent[0] ^= 0xFF; // encrypted in place, as the packager does
            expected.AddRange(sample);
            expected[^sample.Length] ^= 0xFF;
            segment.Add(new SegmentSample(i * 512, 512, 0, 0, sample.Length, 0, 0, 0));
        }

        Assert.Equal(40, segment.Count);
        Assert.Equal(expected, segment.Data.ToArray());
        Assert.Equal(40 * 512, segment.Duration);

        segment.Subsamples.Add(new Subsample(1, 16));
        segment.ClearLead = true;
        segment.Reset();
        Assert.True(segment.IsEmpty);
        Assert.Empty(segment.Subsamples);
        Assert.False(segment.ClearLead);
        Assert.Equal([7, 7], segment.Append([7, 7]).ToArray());
        Assert.Equal([7, 7], segment.Data.ToArray());
    }
}
