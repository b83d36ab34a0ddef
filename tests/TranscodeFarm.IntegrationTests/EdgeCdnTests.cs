using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// The edge as a CDN node in front of an HTTP origin (a real `transcodefarm edge` process and a real Kestrel origin
/// that counts, slows and dies): miss coalescing, bounded memory, stale serving, timeouts, purge, HTTP semantics.
/// </summary>
public sealed class EdgeCdnTests
{
    internal static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    internal static async Task<(CountingOrigin Origin, EdgeProcess Edge)> StartAsync(Dictionary<string, string>? settings = null)
    {
        var origin = new CountingOrigin();
        await origin.StartAsync();
        var edge = new EdgeProcess();
        await edge.StartAsync(origin.BaseUrl, settings);
        return (origin, edge);
    }

    [Fact]
    public async Task Five_hundred_concurrent_cold_requests_make_one_origin_fetch_and_get_identical_bodies()
    {
        var (origin, edge) = await StartAsync();
        await using var _ = origin;
        await using var __ = edge;
        var body = RandomBytes(1_500_000);
        origin.Put("a1/seg-0-00001.m4s", body);
        origin.HeaderDelay = TimeSpan.FromMilliseconds(1500); // every request arrives while the one fetch is still in flight
        origin.ChunkDelay = TimeSpan.FromMilliseconds(5);

        var responses = await Task.WhenAll(Enumerable.Range(0, 500).Select(async _ =>
        {
            using var response = await edge.Http.GetAsync(new Uri("/vod/a1/seg-0-00001.m4s", UriKind.Relative));
            return (response.StatusCode, Cache: response.Headers.GetValues("X-Cache").Single(), Hash: Convert.ToHexString(SHA256.HashData(await response.Content.ReadAsByteArrayAsync())));
        }));

        Assert.Equal(1, origin.Fetches("a1/seg-0-00001.m4s"));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(responses.Select(r => r.Hash).Distinct());
        Assert.Equal(Convert.ToHexString(SHA256.HashData(body)), responses[0].Hash);
        Assert.Equal(1, responses.Count(r => r.Cache == "MISS"));
        Assert.True(responses.Count(r => r.Cache == "COALESCED") > 400, string.Join(",", responses.GroupBy(r => r.Cache).Select(g => $"{g.Key}={g.Count()}")));
        var metrics = await edge.MetricsAsync();
        Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_edge_coalesced_waiters_total") >= 400, metrics);
        Assert.Equal(1, EdgeTests.MetricValue(metrics, "transcodefarm_edge_origin_fetches_total{type=\"segment\",result=\"ok\"}"));
    }

    [Fact]
    public async Task Waiters_stream_the_first_bytes_before_the_origin_has_sent_everything()
    {
        var (origin, edge) = await StartAsync();
        await using var _ = origin;
        await using var __ = edge;
        origin.Put("a2/seg-0-00001.m4s", RandomBytes(2_000_000));
        origin.ChunkDelay = TimeSpan.FromMilliseconds(100); // 31 chunks: ~3 s for the whole body

        var clock = Stopwatch.StartNew();
        var waiters = Enumerable.Range(0, 3).Select(async _ =>
        {
            using var response = await edge.Http.GetAsync(new Uri("/vod/a2/seg-0-00001.m4s", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();
            var first = new byte[1024];
            await stream.ReadExactlyAsync(first);
            var firstByteAt = clock.Elapsed;
            await stream.CopyToAsync(Stream.Null);
            return (firstByteAt, done: clock.Elapsed);
        }).ToList();
        var results = await Task.WhenAll(waiters);
        Assert.All(results, r => Assert.True(r.firstByteAt < r.done - TimeSpan.FromSeconds(1.5), $"first byte at {r.firstByteAt}, done at {r.done}"));
        Assert.Equal(1, origin.Fetches("a2/seg-0-00001.m4s"));
    }

    [Fact]
    public async Task With_the_origin_dead_cached_content_is_served_stale_and_an_uncached_object_fails_fast()
    {
        var (origin, edge) = await StartAsync(new()
        {
            ["Edge:ManifestTtl"] = "00:00:01",
            ["Edge:StaleWhileRevalidate"] = "00:00:00",
            ["Edge:OriginTimeout"] = "00:00:01",
        });
        await using var _ = origin;
        await using var __ = edge;
        origin.Put("a3/master.m3u8", "#EXTM3U\n#EXT-X-VERSION:7\n"u8.ToArray(), "application/vnd.apple.mpegurl");
        origin.Put("a3/seg-0-00001.m4s", RandomBytes(100_000));
        origin.Put("a3/seg-0-00002.m4s", RandomBytes(100_001));
        Assert.Equal("MISS", await CacheResultAsync(edge, "/vod/a3/master.m3u8"));
        Assert.Equal("MISS", await CacheResultAsync(edge, "/vod/a3/seg-0-00001.m4s"));

        await origin.StopAsync();
        await Task.Delay(1500); // past the manifest's TTL
        using (var manifest = await edge.Http.GetAsync(new Uri("/vod/a3/master.m3u8", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
            Assert.Equal("STALE", manifest.Headers.GetValues("X-Cache").Single());
            Assert.Equal("#EXTM3U\n#EXT-X-VERSION:7\n", await manifest.Content.ReadAsStringAsync());
        }

        Assert.Equal("HIT", await CacheResultAsync(edge, "/vod/a3/seg-0-00001.m4s"));
        var clock = Stopwatch.StartNew();
        using (var missing = await edge.Http.GetAsync(new Uri("/vod/a3/seg-0-00002.m4s", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.BadGateway, missing.StatusCode);
            Assert.Equal("no-store", missing.Headers.CacheControl!.ToString());
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"502 after {clock.Elapsed}");

        // A live origin that hangs: 504 within the edge's own timeout (1 s), not the store's retry budget.
        await origin.StartAsync();
        origin.Hang = true;
        clock.Restart();
        using (var hung = await edge.Http.GetAsync(new Uri("/vod/a3/seg-0-00002.m4s", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.GatewayTimeout, hung.StatusCode);
        }

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
        origin.Hang = false;
        var metrics = await edge.MetricsAsync();
        Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_edge_stale_responses_total{reason=\"origin_error\"}") >= 1, metrics);
        Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_edge_origin_errors_total{kind=\"timeout\"}") >= 1, metrics);
        Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_edge_origin_errors_total{kind=\"unreachable\"}") >= 1, metrics);
        Assert.Equal("MISS", await CacheResultAsync(edge, "/vod/a3/seg-0-00002.m4s")); // the next request tries again
    }

    [Fact]
    public async Task An_expired_manifest_is_served_stale_while_one_conditional_request_revalidates_it()
    {
        var (origin, edge) = await StartAsync(new() { ["Edge:ManifestTtl"] = "00:00:01", ["Edge:StaleWhileRevalidate"] = "00:01:00" });
        await using var _ = origin;
        await using var __ = edge;
        origin.Put("a4/manifest.mpd", "<MPD/>"u8.ToArray(), "application/dash+xml");
        Assert.Equal("MISS", await CacheResultAsync(edge, "/vod/a4/manifest.mpd"));
        await Task.Delay(1300);
        origin.HeaderDelay = TimeSpan.FromMilliseconds(500);
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => CacheResultAsync(edge, "/vod/a4/manifest.mpd")));
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(450), $"stale answers took {clock.Elapsed}: they waited for the origin");
        Assert.All(results, r => Assert.Equal("STALE", r));

        // Once the one background revalidation is back (304), the copy is fresh again; until then answers stay STALE and
        // join that revalidation rather than starting another.
        var refreshed = Stopwatch.StartNew();
        while (await CacheResultAsync(edge, "/vod/a4/manifest.mpd") != "HIT")
        {
            Assert.True(refreshed.Elapsed < TimeSpan.FromSeconds(10), "the revalidation never came back");
            await Task.Delay(100);
        }

        Assert.Equal(2, origin.Fetches("a4/manifest.mpd"));
        Assert.Equal(1, origin.ConditionalFetches("a4/manifest.mpd")); // answered 304
    }

    [Fact]
    public async Task Purge_needs_the_admin_token_and_makes_the_next_request_a_miss()
    {
        const string admin = "admin-token-0123456789";
        var (origin, edge) = await StartAsync(new() { ["Edge:AdminToken"] = admin });
        await using var _ = origin;
        await using var __ = edge;
        origin.Put("a5/seg-0-00001.m4s", RandomBytes(1000));
        origin.Put("a5/seg-0-00002.m4s", RandomBytes(1001));
        origin.Put("a6/seg-0-00001.m4s", RandomBytes(1002));
        foreach (var path in new[] { "/vod/a5/seg-0-00001.m4s", "/vod/a5/seg-0-00002.m4s", "/vod/a6/seg-0-00001.m4s" })
        {
            await CacheResultAsync(edge, path);
            Assert.Equal("HIT", await CacheResultAsync(edge, path));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await PurgeAsync(edge, "path=a5/seg-0-00001.m4s", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PurgeAsync(edge, "path=a5/seg-0-00001.m4s", "wrong-token-0123456789")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PurgeAsync(edge, "path=../etc/passwd", admin)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PurgeAsync(edge, "path=a5/seg-0-00001.m4s", admin)).StatusCode);
        Assert.Equal("MISS", await CacheResultAsync(edge, "/vod/a5/seg-0-00001.m4s"));
        Assert.Equal("HIT", await CacheResultAsync(edge, "/vod/a5/seg-0-00002.m4s"));
        Assert.Equal(HttpStatusCode.OK, (await PurgeAsync(edge, "asset=a5", admin)).StatusCode);
        Assert.Equal("MISS", await CacheResultAsync(edge, "/vod/a5/seg-0-00002.m4s"));
        Assert.Equal("HIT", await CacheResultAsync(edge, "/vod/a6/seg-0-00001.m4s"));
        Assert.Equal(HttpStatusCode.OK, (await PurgeAsync(edge, "prefix=a6/", admin)).StatusCode);
        Assert.Equal("MISS", await CacheResultAsync(edge, "/vod/a6/seg-0-00001.m4s"));
    }

    [Fact]
    public async Task Purge_is_refused_when_no_admin_token_is_configured()
    {
        var (origin, edge) = await StartAsync();
        await using var _ = origin;
        await using var __ = edge;
        using var response = await PurgeAsync(edge, "asset=a7", "anything-at-all-0123456789");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Edge:AdminToken", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("4194304")] // the large object is cached in slices of 1,000,000 bytes (Edge:MaxCachedObjectBytes caps them)
    [InlineData("0")] // slicing off: it streams from the origin (BYPASS)
    public async Task Http_semantics_hold_on_cached_sliced_and_bypassed_objects(string sliceBytes)
    {
        var (origin, edge) = await StartAsync(new() { ["Edge:MaxCachedObjectBytes"] = "1000000", ["Edge:SliceBytes"] = sliceBytes });
        await using var _ = origin;
        await using var __ = edge;
        var small = RandomBytes(300_000);
        var large = RandomBytes(3_000_000);
        origin.Put("a8/seg-0-00001.m4s", small);
        origin.Put("a8/seg-0-00002.m4s", large);
        var sliced = sliceBytes != "0";
        foreach (var (path, body, first) in new[] { ("/vod/a8/seg-0-00001.m4s", small, "MISS"), ("/vod/a8/seg-0-00002.m4s", large, sliced ? "SLICED" : "BYPASS") })
        {
            // HEAD: headers only, the length of the object, no body.
            using (var head = await edge.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path)))
            {
                Assert.Equal(HttpStatusCode.OK, head.StatusCode);
                Assert.Equal(body.Length, head.Content.Headers.ContentLength);
                Assert.Empty(await head.Content.ReadAsByteArrayAsync());
            }

            using var full = await edge.Http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(body, await full.Content.ReadAsByteArrayAsync());
            var etag = full.Headers.ETag!;

            using var range = new HttpRequestMessage(HttpMethod.Get, path);
            range.Headers.Range = new RangeHeaderValue(1000, 1999);
            using (var partial = await edge.Http.SendAsync(range))
            {
                Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
                Assert.Equal($"bytes 1000-1999/{body.Length}", partial.Content.Headers.ContentRange!.ToString());
                Assert.Equal(body[1000..2000], await partial.Content.ReadAsByteArrayAsync());
            }

            using var suffix = new HttpRequestMessage(HttpMethod.Get, path);
            suffix.Headers.TryAddWithoutValidation("Range", "bytes=-100");
            using (var tail = await edge.Http.SendAsync(suffix))
            {
                Assert.Equal(body[^100..], await tail.Content.ReadAsByteArrayAsync());
            }

            // Several ranges: answered whole with 200 (RFC 9110 §14.2 lets a server ignore Range).
            using var multi = new HttpRequestMessage(HttpMethod.Get, path);
            multi.Headers.TryAddWithoutValidation("Range", "bytes=0-9,100-199");
            using (var whole = await edge.Http.SendAsync(multi))
            {
                Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
                Assert.Equal(body.Length, (await whole.Content.ReadAsByteArrayAsync()).Length);
            }

            // If-Range with another validator: the range is ignored, the whole object comes back.
            using var ifRange = new HttpRequestMessage(HttpMethod.Get, path);
            ifRange.Headers.Range = new RangeHeaderValue(0, 9);
            ifRange.Headers.TryAddWithoutValidation("If-Range", "\"other\"");
            using (var changed = await edge.Http.SendAsync(ifRange))
            {
                Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            }

            using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
            conditional.Headers.IfNoneMatch.Add(etag);
            using (var notModified = await edge.Http.SendAsync(conditional))
            {
                Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            }

            using var beyond = new HttpRequestMessage(HttpMethod.Get, path);
            beyond.Headers.Range = new RangeHeaderValue(body.Length + 5, body.Length + 10);
            using (var unsatisfiable = await edge.Http.SendAsync(beyond))
            {
                Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, unsatisfiable.StatusCode);
                Assert.Equal($"bytes */{body.Length}", unsatisfiable.Content.Headers.ContentRange!.ToString());
            }

            using var cors = new HttpRequestMessage(HttpMethod.Get, path);
            cors.Headers.Add("Origin", "https://player.example");
            using (var withCors = await edge.Http.SendAsync(cors))
            {
                Assert.Equal("*", withCors.Headers.GetValues("Access-Control-Allow-Origin").Single());
                Assert.Equal(first == "BYPASS" ? "BYPASS" : "HIT", withCors.Headers.GetValues("X-Cache").Single());
                if (first == "MISS")
                {
                    Assert.NotNull(withCors.Headers.Age);
                }
            }
        }

        if (sliced)
        {
            // Every request above after the first whole read was served from the three cached slices.
            Assert.Equal(3, origin.Ranges("a8/seg-0-00002.m4s").Count);
        }
    }

    private static async Task<string> CacheResultAsync(EdgeProcess edge, string path)
    {
        using var response = await edge.Http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await response.Content.ReadAsByteArrayAsync();
        return response.Headers.GetValues("X-Cache").Single();
    }

    internal static async Task<HttpResponseMessage> PurgeAsync(EdgeProcess edge, string query, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/purge?" + query);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await edge.Http.SendAsync(request);
    }
}
