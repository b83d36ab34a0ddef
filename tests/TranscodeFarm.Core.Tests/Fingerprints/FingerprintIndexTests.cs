using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

/// <summary>
/// One shared index of 1,000 synthetic assets (1–4 minutes of random scenes at 2 fps, one scene in ten black); queries
/// are excerpts re-sampled at another phase or rate, with per-frame bit noise standing in for re-encoding.
/// </summary>
public sealed class FingerprintIndexTests(FingerprintIndexTests.Catalogue catalogue) : IClassFixture<FingerprintIndexTests.Catalogue>
{
    [Theory]
    [InlineData(17, 37.3, 10.0, 0.5)]
    [InlineData(503, 0.2, 5.0, 0.5)]     // the minimum excerpt, at the very start
    [InlineData(999, 55.75, 20.0, 0.4)]  // sampled at 2.5 fps: a frame-rate change
    [InlineData(250, 61.1, 30.0, 1.0)]   // sampled at 1 fps
    public void Finds_the_asset_and_offset_of_a_noisy_excerpt(int asset, double from, double seconds, double interval)
    {
        var rng = new Random(asset);
        var scenes = catalogue.Scenes[asset];
        from = Math.Min(from, scenes[^1].Start - seconds); // stay inside shorter assets
        var query = Synthetic.Sample(scenes, rng, from, seconds, interval, jitterBits: 14);

        var matches = catalogue.Index.Query(query);

        Assert.NotEmpty(matches);
        var best = matches[0];
        Assert.Equal(Catalogue.Id(asset), best.AssetId);
        Assert.InRange(best.OffsetSeconds, from - 0.5, from + 0.5);
        Assert.InRange(best.Score, 0.9, 1.0);
        Assert.InRange(best.MatchedSeconds, seconds * 0.6, seconds + 1);
        Assert.DoesNotContain(matches.Skip(1), m => m.AssetId == best.AssetId && Math.Abs(m.OffsetSeconds - best.OffsetSeconds) < 1);
    }

    [Fact]
    public void Unrelated_video_matches_nothing()
    {
        for (var seed = 0; seed < 5; seed++)
        {
            var rng = new Random(90_000 + seed);
            var query = Synthetic.Sample(Synthetic.Scenes(rng, 60), rng, 0, 60, Synthetic.Interval, jitterBits: 4);
            Assert.Empty(catalogue.Index.Query(query));
        }
    }

    [Fact]
    public void Black_frames_alone_match_nothing()
    {
        var black = new VideoFingerprint(Enumerable.Range(0, 40).Select(i => new FingerprintFrame(i * 0.5, Synthetic.Black, 2)));
        Assert.Empty(catalogue.Index.Query(black));
    }

    [Fact]
    public void A_removed_asset_is_no_longer_found_and_can_come_back()
    {
        using var index = new FingerprintIndex();
        var rng = new Random(5);
        var scenes = Synthetic.Scenes(rng, 90);
        var reference = Synthetic.Sample(scenes, rng, 0, 90, Synthetic.Interval, jitterBits: 4);
        index.Add("a", reference);
        index.Add("b", Synthetic.Sample(Synthetic.Scenes(rng, 90), rng, 0, 90, Synthetic.Interval, jitterBits: 4));
        var query = Synthetic.Sample(scenes, rng, 20.2, 10, Synthetic.Interval, jitterBits: 10);
        Assert.Equal("a", Assert.Single(index.Query(query)).AssetId);

        Assert.True(index.Remove("a"));
        Assert.False(index.Remove("a"));
        Assert.False(index.Contains("a"));
        Assert.Empty(index.Query(query));
        Assert.Equal(1, index.AssetCount);

        index.Add("a2", reference);
        index.Add("a2", reference); // replacing keeps one copy
        Assert.Equal("a2", Assert.Single(index.Query(query)).AssetId);
        Assert.Equal(2, index.AssetCount);
    }

    [Fact]
    public void Static_shots_are_indexed_once_not_per_frame()
    {
        using var index = new FingerprintIndex();
        var hash = Synthetic.RandomHash(new Random(1));
        var still = new VideoFingerprint(Enumerable.Range(0, 40).Select(i => new FingerprintFrame(i * 0.5, hash, 90))); // 20 s
        index.Add("still", still);
        Assert.Equal(2, index.KeyframeCount); // cut at MaxRunSeconds (10 s)
    }

    [Fact]
    public void Rejects_bad_options() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FingerprintIndex(new FingerprintIndexOptions { ChunkProbeRadius = 2 }));

    /// <summary>Built once for the class: 1,000 assets.</summary>
    public sealed class Catalogue : IDisposable
    {
        public const int Assets = 1000;

        public Catalogue()
        {
            var rng = new Random(2024);
            for (var a = 0; a < Assets; a++)
            {
                var seconds = 60 + (rng.NextDouble() * 180);
                var scenes = Synthetic.Scenes(rng, seconds);
                Scenes.Add(scenes);
                Index.Add(Id(a), Synthetic.Sample(scenes, rng, 0, seconds, Synthetic.Interval, jitterBits: 6));
            }
        }

        public FingerprintIndex Index { get; } = new();

        internal List<Synthetic.Scene[]> Scenes { get; } = [];

        public static string Id(int asset) => $"asset-{asset:D4}";

        public void Dispose() => Index.Dispose();
    }
}
