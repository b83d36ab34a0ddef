using System.Diagnostics;
using TranscodeFarm.Core.Fingerprints;
using Xunit.Abstractions;

namespace TranscodeFarm.Core.Tests.Fingerprints;

/// <summary>
/// One shared index of 1,000 synthetic audio tracks (1–4 minutes; one in ten starts with 3 s of digital silence, the
/// same word in each); queries are excerpts or copies re-encoded at a bit error rate of 0.1–0.2.
/// </summary>
public sealed class AudioIndexTests(AudioIndexTests.Catalogue catalogue, ITestOutputHelper output) : IClassFixture<AudioIndexTests.Catalogue>
{
    private const double Tolerance = 0.25;

    [Theory]
    [InlineData(17, 37.3, 5.0, 0.15)]
    [InlineData(503, 0.0, 5.0, 0.2)]     // the minimum excerpt, at the very start, at the noisiest
    [InlineData(999, 55.75, 10.0, 0.2)]
    [InlineData(250, 61.1, 10.0, 0.1)]
    [InlineData(40, 1000.0, 10.0, 0.15)] // the asset's last 10 s (from is clamped)
    public void Finds_the_asset_and_offset_of_a_noisy_excerpt(int asset, double from, double seconds, double bitErrorRate)
    {
        var rng = new Random(asset);
        var words = catalogue.Words[asset];
        var count = SyntheticAudio.ItemsFor(seconds);
        var start = Math.Min((int)Math.Round(from / AudioFingerprint.ChromaprintItemSeconds), words.Length - count);
        var query = SyntheticAudio.Excerpt(words, start, count, rng, bitErrorRate);

        var matches = catalogue.Index.Query(query);

        var best = Assert.Single(matches);
        Assert.Equal(Catalogue.Id(asset), best.AssetId);
        Assert.InRange(best.OffsetSeconds, (start * AudioFingerprint.ChromaprintItemSeconds) - Tolerance, (start * AudioFingerprint.ChromaprintItemSeconds) + Tolerance);
        Assert.InRange(best.BitErrorRate, bitErrorRate - 0.05, bitErrorRate + 0.05);
        Assert.InRange(best.MatchedSeconds, seconds, seconds + 0.2);
    }

    [Fact]
    public void Finds_a_whole_noisy_copy_at_offset_zero()
    {
        var rng = new Random(1);
        var words = catalogue.Words[123];
        var best = Assert.Single(catalogue.Index.Query(SyntheticAudio.Excerpt(words, 0, words.Length, rng, 0.15)));
        Assert.Equal(Catalogue.Id(123), best.AssetId);
        Assert.Equal(0, best.OffsetSeconds);
        Assert.Equal(words.Length * AudioFingerprint.ChromaprintItemSeconds, best.MatchedSeconds, 6);
        Assert.InRange(best.Score, 0.6, 0.8);
    }

    [Fact]
    public void Unrelated_audio_matches_nothing()
    {
        for (var seed = 0; seed < 5; seed++)
        {
            var rng = new Random(90_000 + seed);
            Assert.Empty(catalogue.Index.Query(new AudioFingerprint(SyntheticAudio.Words(rng, 30.0))));
        }
    }

    [Fact]
    public void Silence_matches_nothing_though_a_hundred_assets_start_with_it()
    {
        Assert.Empty(catalogue.Index.Query(SyntheticAudio.Silence(20)));
        // Silence, then audio from none of the assets: the shared silent start must not carry it.
        var rng = new Random(3);
        var silentStart = SyntheticAudio.Silence(3).Items.ToArray().Concat(SyntheticAudio.Words(rng, 20.0)).ToArray();
        Assert.Empty(catalogue.Index.Query(new AudioFingerprint(silentStart)));
    }

    [Fact]
    public void A_query_shorter_than_the_minimum_overlap_matches_nothing()
    {
        var words = catalogue.Words[7];
        Assert.Empty(catalogue.Index.Query(new AudioFingerprint(words.AsSpan(100, SyntheticAudio.ItemsFor(5) - 1))));
    }

    [Fact]
    public void Prints_the_query_latency()
    {
        var rng = new Random(4);
        var times = new List<double>();
        for (var q = 0; q < 50; q++)
        {
            var words = catalogue.Words[rng.Next(Catalogue.Assets)];
            var query = SyntheticAudio.Excerpt(words, rng.Next(words.Length - 81), 81, rng, 0.15);
            var started = Stopwatch.GetTimestamp();
            catalogue.Index.Query(query);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        times.Sort();
        output.WriteLine($"{Catalogue.Assets} assets, {catalogue.Index.PostingCount:N0} postings; 10-s excerpt queries: median {times[25]:F2} ms, max {times[^1]:F2} ms");
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
                var words = SyntheticAudio.Words(rng, 60 + (rng.NextDouble() * 180));
                if (a % 10 == 0)
                {
                    SyntheticAudio.Silence(3).Items.CopyTo(words);
                }

                Words.Add(words);
                Index.Add(Id(a), new AudioFingerprint(words));
            }
        }

        public AudioIndex Index { get; } = new();

        internal List<uint[]> Words { get; } = [];

        public static string Id(int asset) => $"asset-{asset:D4}";

        public void Dispose() => Index.Dispose();
    }
}
