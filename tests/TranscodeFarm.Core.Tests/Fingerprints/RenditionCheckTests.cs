using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

/// <summary>The quality gate's comparison of a rendition's fingerprint with its source's, on synthetic scenes.</summary>
public sealed class RenditionCheckTests
{
    private static readonly Synthetic.Scene[] Scenes = Synthetic.Scenes(new Random(42), 40);

    private static VideoFingerprint Source() => Synthetic.Sample(Scenes, new Random(1), 0, 40, Synthetic.Interval, jitterBits: 0);

    [Fact]
    public void A_faithful_rendition_passes()
    {
        var rendition = Synthetic.Sample(Scenes, new Random(2), 0, 40, Synthetic.Interval, jitterBits: 20); // a low-bitrate rung

        var verdict = RenditionCheck.Compare("240p", Source(), rendition);

        Assert.True(verdict.Passed, verdict.Problem);
        Assert.InRange(verdict.MatchedFraction, 0.95, 1);
    }

    [Fact]
    public void Black_frames_are_named_as_such()
    {
        var source = Source();
        var black = new VideoFingerprint(source.Frames.Select(f => f.TimeSeconds >= 10 ? f with { Hash = Synthetic.Black, Quality = 1 } : f));

        var verdict = RenditionCheck.Compare("720p", source, black);

        Assert.False(verdict.Passed);
        Assert.Equal("black", verdict.Code);
        Assert.Contains("black or flat picture", verdict.Problem);
        Assert.Contains("first at 10", verdict.Problem);
    }

    [Fact]
    public void A_frozen_picture_is_named_as_such()
    {
        var source = Source();
        var held = source.Frames.First(f => f.TimeSeconds >= 8);
        var frozen = new VideoFingerprint(source.Frames.Select(f => f.TimeSeconds >= 8 ? f with { Hash = held.Hash, Quality = held.Quality } : f));

        var verdict = RenditionCheck.Compare("720p", source, frozen);

        Assert.False(verdict.Passed);
        Assert.Equal("frozen", verdict.Code);
    }

    [Fact]
    public void A_rendition_that_ends_early_is_truncated()
    {
        var source = Source();

        var verdict = RenditionCheck.Compare("720p", source, source.Slice(0, 15));

        Assert.Equal("truncated", verdict.Code);
        Assert.Contains("ends early", verdict.Problem);
    }

    [Fact]
    public void A_shifted_rendition_is_out_of_sync_with_the_shift_named()
    {
        var source = Source();
        // The rendition shows at t what the source shows at t - 3: three seconds late.
        var late = Synthetic.Sample([new Synthetic.Scene(0, Synthetic.RandomHash(new Random(9)), 80), .. Scenes.Select(s => s with { Start = s.Start + 3 })],
            new Random(3), 0, 43, Synthetic.Interval, jitterBits: 4);

        var verdict = RenditionCheck.Compare("720p", source, late);

        Assert.Equal("desync", verdict.Code);
        Assert.Contains("3.0 s late", verdict.Problem);
    }

    [Fact]
    public void Other_content_is_reported_as_different()
    {
        var other = Synthetic.Sample(Synthetic.Scenes(new Random(77), 40), new Random(4), 0, 40, Synthetic.Interval, jitterBits: 0);

        var verdict = RenditionCheck.Compare("720p", Source(), other);

        Assert.Equal("corrupt", verdict.Code);
    }

    [Fact]
    public void One_or_two_odd_frames_in_a_short_clip_are_not_a_failure()
    {
        var source = Source().Slice(0, 2); // 4 sampled frames
        var odd = new VideoFingerprint(source.Frames.Select((f, i) => i == 3 ? f with { Hash = Synthetic.RandomHash(new Random(5)) } : f));

        Assert.True(RenditionCheck.Compare("144p", source, odd).Passed);
    }

    [Fact]
    public void A_source_without_usable_frames_leaves_nothing_to_compare()
    {
        var black = new VideoFingerprint(Enumerable.Range(0, 20).Select(i => new FingerprintFrame(i * 0.5, Synthetic.Black, 0)));

        Assert.True(RenditionCheck.Compare("720p", black, VideoFingerprint.Empty).Passed);
    }
}
