using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// Objects larger than Edge:MaxCachedObjectBytes are cached in slices of Edge:SliceBytes (issue 15): a range request for a
/// cold large object fetches only the slices it covers, whole reads are byte-exact and coalesced per slice, slices live in
/// both tiers and go with a purge of their object.
/// </summary>
public sealed class EdgeSliceTests
{
    private const long Slice = 4L << 20; // the default Edge:SliceBytes

    [Fact]
    public async Task A_cold_range_request_on_a_200_MB_object_fetches_only_the_slices_it_covers()
    {
        var (origin, edge) = await EdgeCdnTests.StartAsync();
        await using var originScope = origin;
        await using var edgeScope = edge;
        var body = EdgeCdnTests.RandomBytes(200_000_000);
        origin.Put("s1/film.mp4", body, "video/mp4");

        var (status, cache, bytes) = await RangeAsync(edge, "/vod/s1/film.mp4", 100_000_000, 100_000_999);
        Assert.Equal(HttpStatusCode.PartialContent, status);
        Assert.Equal("MISS", cache);
        Assert.Equal(body[100_000_000..100_001_000], bytes);
        var slice = 100_000_000 / Slice;
        Assert.Equal([SliceRange(slice, body.Length)], origin.Ranges("s1/film.mp4"));
        // One whole fetch learnt the object's length and was dropped unread; everything else was the one slice.
        Assert.Equal(2, origin.Fetches("s1/film.mp4"));
        // The edge read exactly the one slice. (What the test origin reports as sent for the dropped whole fetch is not a
        // measure: Kestrel accepts writes after the edge hung up, sometimes before it says so, and counts them.)
        Assert.Equal(Slice, EdgeTests.MetricValue(await edge.MetricsAsync(), "transcodefarm_edge_origin_bytes_total{type=\"other\"}"));

        // Another range in the same slice: from the cache, no origin request.
        (status, cache, bytes) = await RangeAsync(edge, "/vod/s1/film.mp4", slice * Slice + 5, slice * Slice + 4_000_000);
        Assert.Equal("HIT", cache);
        Assert.Equal(body[(int)(slice * Slice + 5)..(int)(slice * Slice + 4_000_001)], bytes);
        Assert.Single(origin.Ranges("s1/film.mp4"));

        // A range across the slice's end fetches only the next slice.
        var across = (slice + 1) * Slice;
        (_, cache, bytes) = await RangeAsync(edge, "/vod/s1/film.mp4", across - 10, across + 9);
        Assert.Equal("MISS", cache);
        Assert.Equal(body[(int)(across - 10)..(int)(across + 10)], bytes);
        Assert.Equal([SliceRange(slice, body.Length), SliceRange(slice + 1, body.Length)], origin.Ranges("s1/film.mp4"));

        // HEAD needs no slice at all.
        using (var head = await edge.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/vod/s1/film.mp4")))
        {
            Assert.Equal(body.Length, head.Content.Headers.ContentLength);
        }

        Assert.Equal(3, origin.Fetches("s1/film.mp4"));
        var metrics = await edge.MetricsAsync();
        Assert.Equal(2, EdgeTests.MetricValue(metrics, "transcodefarm_edge_origin_slice_fetches_total"));
    }

    [Fact]
    public async Task Whole_reads_are_byte_exact_coalesced_per_slice_kept_on_disk_and_purged_with_their_object()
    {
        var directory = Directory.CreateTempSubdirectory("transcodefarm-slices-").FullName;
        const string admin = "slice-admin-token-0123456789abcdef";
        var settings = new Dictionary<string, string>
        {
            ["Edge:DiskCacheDirectory"] = directory,
            ["Edge:DiskCacheBytes"] = "200000000",
            ["Edge:AdminToken"] = admin,
        };
        await using var origin = new CountingOrigin();
        await origin.StartAsync();
        var body = EdgeCdnTests.RandomBytes(18_000_000); // 5 slices, the last one short
        origin.Put("s2/film.mp4", body, "video/mp4");
        origin.ChunkDelay = TimeSpan.FromMilliseconds(2); // the readers overlap

        var edge = new EdgeProcess();
        await edge.StartAsync(origin.BaseUrl, settings);
        await using (edge)
        {
            var hashes = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
                Convert.ToHexString(SHA256.HashData(await edge.Http.GetByteArrayAsync(new Uri("/vod/s2/film.mp4", UriKind.Relative))))));
            Assert.All(hashes, h => Assert.Equal(Convert.ToHexString(SHA256.HashData(body)), h));
            var ranges = origin.Ranges("s2/film.mp4");
            Assert.Equal(Enumerable.Range(0, 5).Select(i => SliceRange(i, body.Length)).Order(), ranges.Order());

            using (var again = await edge.Http.GetAsync(new Uri("/vod/s2/film.mp4", UriKind.Relative)))
            {
                Assert.Equal("HIT", again.Headers.GetValues("X-Cache").Single());
                Assert.Equal(body, await again.Content.ReadAsByteArrayAsync());
            }

            Assert.Equal(5, origin.Ranges("s2/film.mp4").Count);
            await EdgeDiskTierTests.WaitForDiskWritesAsync(edge, 5);
        }

        // A new process serves the slices from disk: the object's head is learnt again, its bytes are not.
        edge = new EdgeProcess();
        await edge.StartAsync(origin.BaseUrl, settings);
        await using (edge)
        {
            var (_, cache, bytes) = await RangeAsync(edge, "/vod/s2/film.mp4", 9_000_000, 9_999_999);
            Assert.Equal("HIT", cache);
            Assert.Equal(body[9_000_000..10_000_000], bytes);
            Assert.Equal(5, origin.Ranges("s2/film.mp4").Count);

            using var purge = await EdgeCdnTests.PurgeAsync(edge, "path=s2/film.mp4", admin);
            Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
            (_, cache, bytes) = await RangeAsync(edge, "/vod/s2/film.mp4", 9_000_000, 9_999_999);
            Assert.Equal("MISS", cache);
            Assert.Equal(body[9_000_000..10_000_000], bytes);
            Assert.Equal(SliceRange(2, body.Length), origin.Ranges("s2/film.mp4")[^1]);
        }
    }

    [Fact]
    public async Task A_child_edge_fetches_slices_from_its_parent_by_range()
    {
        // The parent streams large objects uncached (slicing off there); the child still caches them in slices.
        var (origin, parent) = await EdgeCdnTests.StartAsync(new() { ["Edge:SliceBytes"] = "0" });
        await using var originScope = origin;
        await using var parentScope = parent;
        var body = EdgeCdnTests.RandomBytes(20_000_000);
        origin.Put("s3/film.mp4", body, "video/mp4");
        await using var child = new EdgeProcess();
        await child.StartAsync(parent.BaseUrl + "/vod/", null);
        var (status, cache, bytes) = await RangeAsync(child, "/vod/s3/film.mp4", 12_000_000, 12_000_099);
        Assert.Equal(HttpStatusCode.PartialContent, status);
        Assert.Equal("MISS", cache);
        Assert.Equal(body[12_000_000..12_000_100], bytes);
        Assert.Equal([SliceRange(12_000_000 / Slice, body.Length)], origin.Ranges("s3/film.mp4"));
        (_, cache, _) = await RangeAsync(child, "/vod/s3/film.mp4", 12_000_000, 12_000_099);
        Assert.Equal("HIT", cache);
    }

    [Fact]
    public async Task An_origin_that_ignores_ranges_never_has_its_answer_kept_as_a_slice()
    {
        var (origin, edge) = await EdgeCdnTests.StartAsync();
        await using var originScope = origin;
        await using var edgeScope = edge;
        var body = EdgeCdnTests.RandomBytes(20_000_000);
        origin.Put("s4/film.mp4", body, "video/mp4");
        origin.IgnoreRanges = true;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            // The 206 head is sent before the slice arrives: a slice that cannot be had breaks the response, never fakes it.
            using var request = new HttpRequestMessage(HttpMethod.Get, "/vod/s4/film.mp4");
            request.Headers.Range = new RangeHeaderValue(8_500_000, 8_500_099);
            var failed = false;
            try
            {
                using var response = await edge.Http.SendAsync(request);
                var got = await response.Content.ReadAsByteArrayAsync();
                failed = !response.IsSuccessStatusCode || got.Length != 100;
            }
            catch (HttpRequestException)
            {
                failed = true;
            }

            Assert.True(failed, "a whole-object answer to a range request was served as the slice");
        }

        Assert.Equal(2, origin.Ranges("s4/film.mp4").Count); // asked again: nothing was kept
        Assert.Contains("did not answer the byte range", edge.Output);
    }

    private static string SliceRange(long index, long length) =>
        $"bytes={index * Slice}-{Math.Min((index + 1) * Slice, length) - 1}";

    private static async Task<(HttpStatusCode Status, string Cache, byte[] Body)> RangeAsync(EdgeProcess edge, string path, long from, long to)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Range = new RangeHeaderValue(from, to);
        using var response = await edge.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (response.StatusCode, response.Headers.GetValues("X-Cache").Single(), await response.Content.ReadAsByteArrayAsync());
    }
}
