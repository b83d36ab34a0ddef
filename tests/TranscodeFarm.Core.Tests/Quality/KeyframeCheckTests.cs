using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Quality;
using TranscodeFarm.Core.Tests.Fingerprints;

namespace TranscodeFarm.Core.Tests.Quality;

/// <summary>The gate's keyframe-only picture check: keyframes every 2 s against a moving source sampled every 0.5 s.</summary>
public sealed class KeyframeCheckTests
{
    private const double Gop = 2, Seconds = 30;

    /// <summary>A moving picture: every sampled source frame differs; times start at 0.033 s (the source's first frame).</summary>
    private static VideoFingerprint Source()
    {
        var rng = new Random(7);
        return new VideoFingerprint(Enumerable.Range(0, (int)(Seconds / Synthetic.Interval))
            .Select(i => new FingerprintFrame(0.033 + (i * Synthetic.Interval), Synthetic.RandomHash(rng), 60 + rng.Next(41))));
    }

    /// <summary>The rendition's keyframes, each showing the source's picture at time − lag (degraded by a few bits).</summary>
    private static List<(double, FrameHashResult)> Keyframes(VideoFingerprint source, Func<double, FingerprintFrame, FrameHashResult>? picture = null, double lag = 0)
    {
        var rng = new Random(3);
        var origin = source.Frames[0].TimeSeconds;
        var frames = new List<(double, FrameHashResult)>();
        for (var t = 0.0; t < Seconds - 0.01; t += Gop)
        {
            var shown = source.Frames[Math.Clamp(source.NearestIndex(origin + t - lag), 0, source.Count - 1)];
            frames.Add((t, picture?.Invoke(t, shown) ?? new FrameHashResult(Synthetic.Flip(shown.Hash, rng, 30), shown.Quality)));
        }

        return frames;
    }

    [Fact]
    public void A_faithful_rendition_passes()
    {
        var source = Source();
        var verdict = KeyframeCheck.Compare("720p", source, Keyframes(source), Seconds);
        Assert.True(verdict.Passed, verdict.Problem);
        Assert.Equal(15, verdict.Compared);
    }

    [Fact]
    public void Black_keyframes_are_named()
    {
        var source = Source();
        var verdict = KeyframeCheck.Compare("144p", source, Keyframes(source, (t, f) => t >= 10 ? new FrameHashResult(Synthetic.Black, 1) : new FrameHashResult(f.Hash, f.Quality)), Seconds);
        Assert.Equal("black", verdict.Code);
        Assert.Contains("first at 10.0 s", verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_frozen_picture_is_named()
    {
        var source = Source();
        var held = source.Frames[20];
        var verdict = KeyframeCheck.Compare("360p", source, Keyframes(source, (t, f) => t >= 10 ? new FrameHashResult(held.Hash, held.Quality) : new FrameHashResult(f.Hash, f.Quality)), Seconds);
        Assert.Equal("frozen", verdict.Code);
    }

    [Theory]
    [InlineData(1.0, "late")]
    [InlineData(-1.5, "early")]
    public void A_shifted_picture_is_named_with_its_shift(double lag, string way)
    {
        var source = Source();
        var verdict = KeyframeCheck.Compare("480p", source, Keyframes(source, lag: lag), Seconds);
        Assert.Equal("desync", verdict.Code);
        Assert.Contains($"{Math.Abs(lag):0.0} s {way}", verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_content_is_named_as_different()
    {
        var source = Source();
        var rng = new Random(99);
        var verdict = KeyframeCheck.Compare("720p", source, Keyframes(source, (_, _) => new FrameHashResult(Synthetic.RandomHash(rng), 80)), Seconds);
        Assert.Equal("corrupt", verdict.Code);
        Assert.Contains("differs from the source in 15 of 15 keyframes", verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rendition_that_ends_early_is_truncated_even_if_its_keyframes_match()
    {
        var source = Source();
        var frames = Keyframes(source).Where(k => k.Item1 < 12).ToList();
        var verdict = KeyframeCheck.Compare("720p", source, frames, 12);
        Assert.Equal("truncated", verdict.Code);
        Assert.Contains("stops at 12.0 s", verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void No_keyframes_at_all_is_a_rendition_without_picture()
    {
        var verdict = KeyframeCheck.Compare("720p", Source(), [], Seconds);
        Assert.Equal("corrupt", verdict.Code);
    }
}
