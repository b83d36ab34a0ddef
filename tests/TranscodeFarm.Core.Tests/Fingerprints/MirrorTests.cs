using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

/// <summary>Mirror-invariant matching (issue 17): the hash of a frame's mirror image, from sign flips of the same DCT.</summary>
public sealed class MirrorTests
{
    private static GrayImage Mirror(GrayImage image) =>
        new(image.Width, image.Height, Enumerable.Range(0, image.Pixels.Length).Select(i => image[image.Width - 1 - (i % image.Width), i / image.Width]).ToArray());

    [Fact]
    public void The_mirrored_hash_is_the_hash_of_the_mirrored_frame()
    {
        for (var seed = 1; seed <= 8; seed++)
        {
            var image = GrayImage.Procedural(seed).Resize(128, 72);
            var hash = image.Hash();
            var flipped = Mirror(image).Hash();

            Assert.True(hash.Mirrored.DistanceTo(flipped.Hash) <= 4, $"seed {seed}: {hash.Mirrored.DistanceTo(flipped.Hash)} bits");
            Assert.True(flipped.Mirrored.DistanceTo(hash.Hash) <= 4, $"seed {seed}: back {flipped.Mirrored.DistanceTo(hash.Hash)} bits");
            Assert.True(hash.Hash.DistanceTo(flipped.Hash) >= 60, $"seed {seed}: a mirror image is another picture to the plain hash ({hash.Hash.DistanceTo(flipped.Hash)} bits)");
        }
    }

    [Fact]
    public void A_letterboxed_frame_mirrors_too()
    {
        var image = GrayImage.Procedural(3).Letterbox(0.12).Resize(128, 72);

        Assert.True(image.Hash().Mirrored.DistanceTo(Mirror(image).Hash().Hash) <= 4);
    }

    [Fact]
    public void The_mirrored_hash_is_not_part_of_a_frames_identity()
    {
        var hash = Synthetic.RandomHash(new Random(1));
        var plain = new FingerprintFrame(1.5, hash, 80);
        var withMirror = plain with { MirroredHash = Synthetic.RandomHash(new Random(2)) };

        Assert.Equal(plain, withMirror);
        Assert.Equal(plain.GetHashCode(), withMirror.GetHashCode());
        Assert.Equal(plain, withMirror.Mirrored().Mirrored());
        Assert.Equal(plain, plain.Mirrored());
        Assert.False(new VideoFingerprint([withMirror]).ToBytes().SequenceEqual(Array.Empty<byte>()));
        Assert.False(VideoFingerprint.FromBytes(new VideoFingerprint([withMirror]).ToBytes()).HasMirroredHashes); // not stored
    }

    [Fact]
    public void The_index_finds_a_flipped_copy_by_its_mirrored_hashes()
    {
        var rng = new Random(4);
        var scenes = Synthetic.Scenes(rng, 120);
        using var index = new FingerprintIndex();
        index.Add("film", Synthetic.Sample(scenes, rng, 0, 120, Synthetic.Interval, jitterBits: 0));
        for (var i = 0; i < 20; i++)
        {
            index.Add($"other{i}", Synthetic.Sample(Synthetic.Scenes(rng, 120), rng, 0, 120, Synthetic.Interval, 0));
        }

        var excerpt = Synthetic.Sample(scenes, rng, 30, 20, Synthetic.Interval, jitterBits: 10);
        // What an extractor gives for the flipped copy: its plain hashes are unrelated, the mirrored ones are the film's.
        var flipped = new VideoFingerprint(excerpt.Frames.Select(f => new FingerprintFrame(f.TimeSeconds, Synthetic.RandomHash(rng), f.Quality) { MirroredHash = f.Hash }));

        var match = Assert.Single(index.Query(flipped));
        Assert.Equal("film", match.AssetId);
        Assert.InRange(match.OffsetSeconds, 29.5, 30.5);
        Assert.Empty(index.Query(new VideoFingerprint(flipped.Frames.Select(f => f with { MirroredHash = default }))));
    }
}

/// <summary>The measured-only fast decode (issue 17): decoder options go before the input, and nowhere by default.</summary>
public sealed class FastDecodeArgumentsTests
{
    [Fact]
    public void Fast_decode_options_precede_the_input_and_are_off_by_default()
    {
        var fast = FingerprintArguments.Build("/media/in.mp4", withVideo: true, chromaprintPath: null, fastDecode: true).ToList();
        var plain = FingerprintArguments.Build("/media/in.mp4", withVideo: true, chromaprintPath: null).ToList();

        Assert.True(fast.IndexOf("-skip_frame") < fast.IndexOf("-i"));
        Assert.Equal("noref", fast[fast.IndexOf("-skip_frame") + 1]);
        Assert.Equal("all", fast[fast.IndexOf("-skip_loop_filter") + 1]);
        Assert.DoesNotContain("-skip_frame", plain);
        Assert.Equal(plain, fast.Where((_, i) => i < fast.IndexOf("-skip_loop_filter") || i > fast.IndexOf("-skip_frame") + 1));
    }
}
