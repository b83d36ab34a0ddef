using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

public class FrameHashTests
{
    /// <summary>vPDQ's "same picture" distance, also the index's default.</summary>
    private const int SamePicture = 31;

    public static TheoryData<string> Transformations => new()
    {
        "extracted at 64x64", "extracted at 64x36", "downscaled 2x and back", "brightness +30, contrast x0.8",
        "letterboxed 12%", "cropped 5% (2.5% a side)", "logo in a corner", "JPEG-like quantisation",
    };

    [Fact]
    public void Is_deterministic()
    {
        var frame = GrayImage.Procedural(7).Resize(128, 72).ToBytes();
        var first = FrameHash.Compute(frame, 128, 72);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(first, FrameHash.Compute(frame, 128, 72));
        }

        Assert.InRange(first.Hash.PopCount(), 100, 156);
    }

    [Theory]
    [MemberData(nameof(Transformations))]
    public void Survives_transformations(string transformation)
    {
        for (var seed = 1; seed <= 8; seed++)
        {
            var original = GrayImage.Procedural(seed);
            var expected = original.Hash();
            var actual = Transform(original, transformation);
            var distance = expected.Hash.DistanceTo(actual.Hash);
            Assert.True(distance <= SamePicture, $"seed {seed}: {transformation} moved the hash {distance} bits");
            Assert.True(actual.IsUsable, $"seed {seed}: quality {actual.Quality}");
        }
    }

    [Fact]
    public void Unrelated_pictures_are_far_apart()
    {
        var hashes = Enumerable.Range(100, 25).Select(seed => GrayImage.Procedural(seed).Hash().Hash).ToArray();
        for (var a = 0; a < hashes.Length; a++)
        {
            for (var b = a + 1; b < hashes.Length; b++)
            {
                Assert.True(hashes[a].DistanceTo(hashes[b]) >= 90, $"{a} vs {b}: {hashes[a].DistanceTo(hashes[b])}");
            }
        }
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(16, 0)]
    [InlineData(128, 0)]
    [InlineData(16, 2)]
    [InlineData(120, 3)]
    public void Flat_and_black_frames_have_low_quality(double level, double noise)
    {
        var result = GrayImage.Flat(128, 72, level, noise).Hash();
        Assert.False(result.IsUsable, $"quality {result.Quality}");
    }

    [Fact]
    public void A_smooth_fade_has_low_quality()
    {
        var ramp = new GrayImage(128, 72, Enumerable.Range(0, 128 * 72).Select(i => 60 + ((i % 128) * 0.5)).ToArray());
        Assert.False(ramp.Hash().IsUsable);
    }

    [Fact]
    public void Letterbox_bars_are_trimmed_before_hashing()
    {
        var frame = GrayImage.Procedural(3).Resize(128, 72).Letterbox(0.15).ToBytes();
        var box = ContentBox.Find(frame, 128, 72);
        Assert.Equal(0, box.Left);
        Assert.Equal(128, box.Width);
        Assert.InRange(box.Top, 10, 12);
        Assert.InRange(box.Height, 48, 52);
    }

    [Fact]
    public void A_mostly_black_frame_is_not_trimmed_to_a_sliver()
    {
        var frame = GrayImage.Flat(64, 64, 0).ToBytes();
        Assert.Equal(new ContentBox(0, 0, 64, 64), ContentBox.Find(frame, 64, 64));
    }

    [Theory]
    [InlineData(0, 10, 0)]
    [InlineData(10, 0, 0)]
    [InlineData(10, 10, 99)]
    [InlineData(5000, 1, 5000)]
    public void Rejects_bad_frame_sizes(int width, int height, int length) =>
        Assert.ThrowsAny<ArgumentException>(() => FrameHash.Compute(new byte[length], width, height));

    private static FrameHashResult Transform(GrayImage image, string transformation) => transformation switch
    {
        "extracted at 64x64" => image.Hash(64, 64),
        "extracted at 64x36" => image.Hash(64, 36),
        "downscaled 2x and back" => image.Resize(128, 72).Resize(64, 36).Resize(128, 72).Hash(),
        "brightness +30, contrast x0.8" => image.Map(v => ((v - 128) * 0.8) + 128 + 30).Hash(),
        "letterboxed 12%" => image.Letterbox(0.12).Hash(),
        "cropped 5% (2.5% a side)" => image.Crop(0.025, 0.025, 0.025, 0.025).Hash(),
        "logo in a corner" => image.WithLogo().Hash(),
        "JPEG-like quantisation" => image.Resize(128, 72).BlockQuantized(32).Hash(),
        _ => throw new ArgumentOutOfRangeException(nameof(transformation)),
    };
}
