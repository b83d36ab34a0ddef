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
    public void A_copy_whose_every_frame_moved_40_to_55_bits_is_found_by_the_near_rule()
    {
        // Issue 17: a 300 kb/s re-encode of a synthetic picture keeps no frame within 31 bits, but every frame is far
        // closer than chance (~128).
        var rng = new Random(77);
        var scenes = catalogue.Scenes[321];
        var query = Moved(Synthetic.Sample(scenes, rng, 12.0, 20, Synthetic.Interval, jitterBits: 0), rng, 40, 55);

        var best = catalogue.Index.Query(query)[0];

        Assert.Equal(Catalogue.Id(321), best.AssetId);
        Assert.InRange(best.OffsetSeconds, 11.5, 12.5);
        Assert.InRange(best.Score, 0.25, 0.5); // a near match ranks below any match by the 31-bit rule
    }

    [Fact]
    public void Frames_moved_past_the_near_distance_match_nothing()
    {
        var rng = new Random(78);
        var query = Moved(Synthetic.Sample(catalogue.Scenes[321], rng, 12.0, 20, Synthetic.Interval, jitterBits: 0), rng, 75, 85);
        Assert.Empty(catalogue.Index.Query(query));
    }

    [Fact]
    public void Too_few_near_frames_match_nothing()
    {
        // 5 s: ten frames, under MinNearFrames (12), each ~45 bits away.
        var rng = new Random(79);
        var query = Moved(Synthetic.Sample(catalogue.Scenes[321], rng, 12.0, 5, Synthetic.Interval, jitterBits: 0), rng, 40, 50);
        Assert.DoesNotContain(catalogue.Index.Query(query), m => m.AssetId == Catalogue.Id(321));
    }

    [Theory]
    [InlineData(12, 24, true)]
    [InlineData(11, 12, false)]  // too few frames, even if all of them
    [InlineData(12, 25, false)]  // under half the query's usable frames: its median frame is past the near distance
    [InlineData(13, 25, true)]
    [InlineData(30, 60, true)]
    [InlineData(29, 60, false)]
    public void Near_rule_needs_enough_frames_and_the_query_median_frame(int near, int usable, bool accepted) =>
        Assert.Equal(accepted, NearMatch.Accepts(near, usable, new FingerprintIndexOptions()));

    [Fact]
    public void A_still_picture_near_a_few_seconds_of_a_longer_query_matches_nothing()
    {
        // A query 30 s long whose first 8 s resemble the asset (~45 bits) and the rest is unrelated: 16 near frames of 60.
        var rng = new Random(80);
        var near = Moved(Synthetic.Sample(catalogue.Scenes[321], rng, 12.0, 8, Synthetic.Interval, jitterBits: 0), rng, 40, 50);
        var unrelated = Synthetic.Sample(Synthetic.Scenes(rng, 22), rng, 0, 22, Synthetic.Interval, jitterBits: 0).Shift(8);
        var query = new VideoFingerprint(near.Frames.Concat(unrelated.Frames));
        Assert.DoesNotContain(catalogue.Index.Query(query), m => m.AssetId == Catalogue.Id(321));
    }

    /// <summary>Flips between <paramref name="min"/> and <paramref name="max"/> distinct bits of each usable frame.</summary>
    private static VideoFingerprint Moved(VideoFingerprint fingerprint, Random rng, int min, int max) =>
        new(fingerprint.Frames.Select(f =>
        {
            if (!f.IsUsable)
            {
                return f;
            }

            var bits = Enumerable.Range(0, Hash256.Bits).OrderBy(_ => rng.Next()).Take(rng.Next(min, max + 1));
            return f with { Hash = bits.Aggregate(f.Hash, (h, b) => h.WithBitFlipped(b)) };
        }));

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
    public void Rejects_bad_options()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FingerprintIndex(new FingerprintIndexOptions { ChunkProbeRadius = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FingerprintIndex(new FingerprintIndexOptions { NearDistance = 20 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FingerprintIndex(new FingerprintIndexOptions { NearDistance = 129 }));
    }

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
