using TranscodeFarm.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// The edge's memory under 300 concurrent cold misses. Measured alone: beside other test classes encoding on the same two
/// cores the collector lags and peak RSS measures the load, not the edge's budgets.
/// </summary>
[Collection(MeasuredAlone.Name)]
public sealed class EdgeMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Three_hundred_concurrent_cold_10_MiB_misses_keep_memory_within_the_budgets()
    {
        // Beyond the two budgets: Kestrel and socket buffers of 300 connections and the runtime's small garbage. Six objects
        // fit the in-flight budget (nothing is evicted here); the rest stream through. Bodies are pooled chunks sent a chunk
        // at a time, so a reader that lags its fill never hands Kestrel megabytes to buffer in one write, and a fill's body
        // counts as in flight until its last reader is done: 149–157 MiB in all, also pinned to one core on a loaded
        // machine, where whole-array bodies grew 216–621 MiB. Without the budgets this test would reach gigabytes
        // (300 × 10 MiB); a budget not kept shows up above this bound.
        var (origin, edge, body) = await StartWithHundredObjectsAsync("big");
        await using var _ = origin;
        await using var __ = edge;

        origin.HeaderDelay = TimeSpan.FromMilliseconds(300);
        await edge.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)); // warm the process before the baseline
        var baseline = edge.RssBytes();
        long[] lengths;
        try
        {
            lengths = await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
        {
            using var response = await edge.Http.GetAsync(new Uri($"/vod/big{i % 100}/seg-0-00001.m4s", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[81920];
            long total = 0;
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                total += n;
            }

            return total;
        }));
        }
        catch (HttpRequestException ex)
        {
            throw new InvalidOperationException("edge output:\n" + edge.Output[^Math.Min(4000, edge.Output.Length)..], ex);
        }

        Assert.All(lengths, l => Assert.Equal(body.Length, l));
        AssertGrowthWithinBudgets(edge, origin, baseline);
        // One fetch per object buffered for its waiters, plus one per request streamed through once the in-flight budget was spent.
        Assert.InRange(origin.TotalFetches, 100, 400);

        // Here the in-flight budget buffers a few objects and the rest stream through: nothing is evicted.
        await AssertOnlyCachedBodiesAliveAsync(edge);
    }

    [Fact]
    public async Task A_hundred_10_MiB_objects_through_a_64_MiB_cache_reuse_the_memory_of_evicted_ones()
    {
        // Six clients at a time: every object fits the in-flight budget, is cached, and pushes an older one out. Evicted
        // bodies' chunks serve the next fills, so the edge holds the cache and the fills in flight, whatever the collector
        // does (138–145 MiB in all); one exact-size array per object would leave 94 × 10 MiB of large-object garbage to a
        // full collection.
        var (origin, edge, body) = await StartWithHundredObjectsAsync("seq");
        await using var _ = origin;
        await using var __ = edge;

        await edge.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)); // warm the process before the baseline
        var baseline = edge.RssBytes();
        await Parallel.ForEachAsync(Enumerable.Range(0, 100), new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (i, token) =>
        {
            var bytes = await edge.Http.GetByteArrayAsync(new Uri($"/vod/seq{i}/seg-0-00001.m4s", UriKind.Relative), token);
            Assert.Equal(body.Length, bytes.Length);
        });

        AssertGrowthWithinBudgets(edge, origin, baseline);
        var metrics = await AssertOnlyCachedBodiesAliveAsync(edge);
        Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_edge_cache_evictions_total") >= 90, metrics);
        Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_edge_pool_bytes") >= 10 << 20, metrics);
    }

    private const long CacheBytes = 64L << 20, InFlightBytes = 64L << 20, StatedBound = 128L << 20;

    /// <summary>An edge with both budgets at 64 MiB, over an origin holding 100 objects of 10 MiB ("{prefix}N/seg-0-00001.m4s").</summary>
    private static async Task<(CountingOrigin Origin, EdgeProcess Edge, byte[] Body)> StartWithHundredObjectsAsync(string prefix)
    {
        var (origin, edge) = await EdgeCdnTests.StartAsync(new()
        {
            ["Edge:CacheBytes"] = CacheBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Edge:MaxCachedObjectBytes"] = (16L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Edge:MaxInFlightBytes"] = InFlightBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var body = EdgeCdnTests.RandomBytes(10 << 20);
        for (var i = 0; i < 100; i++)
        {
            origin.Put($"{prefix}{i}/seg-0-00001.m4s", body);
        }

        return (origin, edge, body);
    }

    private void AssertGrowthWithinBudgets(EdgeProcess edge, CountingOrigin origin, long baseline)
    {
        var growth = edge.PeakRssBytes() - baseline;
        output.WriteLine($"peak RSS growth {growth >> 20} MiB, origin fetches {origin.TotalFetches}");
        Assert.True(growth < CacheBytes + InFlightBytes + StatedBound,
            $"peak RSS grew by {growth >> 20} MiB: more than cache {CacheBytes >> 20} + in flight {InFlightBytes >> 20} + {StatedBound >> 20} MiB");
    }

    /// <summary>
    /// Every body reference taken was given back: with no request left, the bodies alive are the cached ones (the 10 MiB
    /// objects fill whole chunks, so the two figures are equal). A request releases after its last byte went out: poll a little.
    /// </summary>
    private static async Task<string> AssertOnlyCachedBodiesAliveAsync(EdgeProcess edge)
    {
        var metrics = "";
        for (var attempt = 0; attempt < 50; attempt++)
        {
            metrics = await edge.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            if (EdgeTests.MetricValue(metrics, "transcodefarm_edge_body_bytes") == EdgeTests.MetricValue(metrics, "transcodefarm_edge_cache_bytes"))
            {
                return metrics;
            }

            await Task.Delay(100);
        }

        Assert.Fail("bodies alive beyond the cached ones (a reference never released):\n" + metrics);
        return metrics;
    }
}
