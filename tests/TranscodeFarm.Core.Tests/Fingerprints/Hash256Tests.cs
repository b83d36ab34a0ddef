using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

public class Hash256Tests
{
    private static readonly Hash256 Sample = new(0x0123456789abcdef, 0xfedcba9876543210, 0x00ff00ff00ff00ff, 0x8000000000000001);

    [Fact]
    public void Hex_round_trips_most_significant_word_first()
    {
        var text = Sample.ToString();
        Assert.Equal("800000000000000100ff00ff00ff00fffedcba98765432100123456789abcdef", text);
        Assert.Equal(Sample, Hash256.Parse(text));
        Assert.Throws<FormatException>(() => Hash256.Parse(text[1..]));
        Assert.Throws<FormatException>(() => Hash256.Parse("g" + text[1..]));
    }

    [Fact]
    public void Distance_counts_differing_bits()
    {
        Assert.Equal(0, Sample.DistanceTo(Sample));
        var flipped = Sample.WithBitFlipped(0).WithBitFlipped(100).WithBitFlipped(255);
        Assert.Equal(3, Hash256.Distance(Sample, flipped));
        Assert.Equal(256, new Hash256(0, 0, 0, 0).DistanceTo(new Hash256(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue)));
        Assert.NotEqual(Sample.GetBit(100), flipped.GetBit(100));
    }

    [Fact]
    public void Chunks_are_sixteen_bit_slices_in_bit_order()
    {
        Assert.Equal(0xcdef, Sample.Chunk(0));
        Assert.Equal(0x0123, Sample.Chunk(3));
        Assert.Equal(0x3210, Sample.Chunk(4));
        Assert.Equal(0x8000, Sample.Chunk(15));
        Assert.Equal(0x0001, Sample.Chunk(12));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sample.Chunk(16));
    }

    [Fact]
    public void Bytes_round_trip()
    {
        var bytes = new byte[32];
        Sample.WriteLittleEndian(bytes);
        Assert.Equal(0xef, bytes[0]);
        Assert.Equal(Sample, Hash256.ReadLittleEndian(bytes));
    }

    [Fact]
    public void FromBits_sets_bit_k_in_word_k_over_64()
    {
        var bits = new bool[256];
        bits[1] = bits[64] = bits[255] = true;
        Assert.Equal(new Hash256(2, 1, 0, 1UL << 63), Hash256.FromBits(bits));
    }
}
