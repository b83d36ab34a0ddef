using TranscodeFarm.Core.Caching;

namespace TranscodeFarm.Core.Tests.Caching;

public sealed class SlicesTests
{
    [Theory]
    [InlineData(0, 1, 0, 0)]
    [InlineData(0, 100, 0, 0)]
    [InlineData(99, 2, 0, 1)]
    [InlineData(100, 100, 1, 1)]
    [InlineData(150, 300, 1, 4)]
    public void A_range_is_covered_by_exactly_the_slices_holding_its_bytes(long from, long count, long first, long last) =>
        Assert.Equal((first, last), Slices.Covering(from, count, 100));

    [Fact]
    public void The_last_slice_is_short_and_none_lies_beyond_the_object()
    {
        Assert.Equal((200L, 50L), Slices.Extent(2, 250, 100));
        Assert.Equal((0L, 100L), Slices.Extent(0, 250, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => Slices.Extent(3, 250, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => Slices.Covering(0, 0, 100));
    }

    [Fact]
    public void A_slice_key_leads_back_to_its_object_and_is_never_a_valid_object_key()
    {
        var key = Slices.KeyOf("a1/g2/film.mp4", 7);
        Assert.Equal("a1/g2/film.mp4", Slices.ObjectKeyOf(key));
        Assert.Equal("a1/g2/film.mp4", Slices.ObjectKeyOf("a1/g2/film.mp4"));
        Assert.False(Core.Assets.ObjectKeys.IsValid(key));
        Assert.NotEqual(Slices.KeyOf("a1/film.mp4", 1), Slices.KeyOf("a1/film.mp4", 11));
    }
}
