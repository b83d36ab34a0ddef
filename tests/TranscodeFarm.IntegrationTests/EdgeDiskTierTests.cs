using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using TranscodeFarm.Core.Caching;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// The edge's disk tier (Edge:DiskCacheDirectory, decision 026) across real process restarts: what one edge process wrote
/// is served by the next without the origin, damaged files are refused and re-fetched, and HTTP semantics hold on a disk hit.
/// </summary>
public sealed class EdgeDiskTierTests
{
    [Fact]
    public async Task A_segment_written_by_one_edge_process_is_served_by_the_next_without_the_origin()
    {
        var directory = Directory.CreateTempSubdirectory("transcodefarm-disk-").FullName;
        await using var origin = new CountingOrigin();
        await origin.StartAsync();
        var body = EdgeCdnTests.RandomBytes(700_000);
        origin.Put("d1/seg-0-00001.m4s", body);

        await using (var first = await StartEdgeAsync(origin, directory))
        {
            Assert.Equal("MISS", (await GetAsync(first, "/vod/d1/seg-0-00001.m4s", body)).Cache);
            await WaitForDiskWritesAsync(first, 1);
        }

        await using var second = await StartEdgeAsync(origin, directory);
        Assert.Equal("HIT", (await GetAsync(second, "/vod/d1/seg-0-00001.m4s", body)).Cache);
        Assert.Equal("HIT", (await GetAsync(second, "/vod/d1/seg-0-00001.m4s", body)).Cache); // now from memory
        Assert.Equal(1, origin.Fetches("d1/seg-0-00001.m4s"));
        var metrics = await second.MetricsAsync();
        Assert.Equal(1, EdgeTests.MetricValue(metrics, "transcodefarm_edge_cache_tier_hits_total{tier=\"disk\"}"));
        Assert.Equal(1, EdgeTests.MetricValue(metrics, "transcodefarm_edge_cache_tier_hits_total{tier=\"memory\"}"));
    }

    [Fact]
    public async Task Truncated_and_altered_files_are_refused_and_fetched_again()
    {
        var directory = Directory.CreateTempSubdirectory("transcodefarm-disk-").FullName;
        await using var origin = new CountingOrigin();
        await origin.StartAsync();
        var truncated = EdgeCdnTests.RandomBytes(300_000);
        var altered = EdgeCdnTests.RandomBytes(300_001);
        origin.Put("d2/seg-0-00001.m4s", truncated);
        origin.Put("d2/seg-0-00002.m4s", altered);

        await using (var first = await StartEdgeAsync(origin, directory))
        {
            await GetAsync(first, "/vod/d2/seg-0-00001.m4s", truncated);
            await GetAsync(first, "/vod/d2/seg-0-00002.m4s", altered);
            await WaitForDiskWritesAsync(first, 2);
        }

        var truncatedFile = Path.Combine(directory, DiskEntryHeader.FileName("d2/seg-0-00001.m4s"));
        using (var file = new FileStream(truncatedFile, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(file.Length - 1000);
        }

        var alteredFile = Path.Combine(directory, DiskEntryHeader.FileName("d2/seg-0-00002.m4s"));
        var bytes = await File.ReadAllBytesAsync(alteredFile);
        bytes[^100] ^= 0x01; // in the body: the header still parses, the checksum does not match
        await File.WriteAllBytesAsync(alteredFile, bytes);

        await using var second = await StartEdgeAsync(origin, directory);
        Assert.Equal("MISS", (await GetAsync(second, "/vod/d2/seg-0-00001.m4s", truncated)).Cache);
        Assert.Equal("MISS", (await GetAsync(second, "/vod/d2/seg-0-00002.m4s", altered)).Cache);
        Assert.Equal(2, origin.Fetches("d2/seg-0-00001.m4s"));
        Assert.Equal(2, origin.Fetches("d2/seg-0-00002.m4s"));
        var metrics = await second.MetricsAsync();
        Assert.Equal(1, EdgeTests.MetricValue(metrics, "transcodefarm_edge_disk_cache_rejected_total{reason=\"header\"}")); // at the start-up scan
        Assert.Equal(1, EdgeTests.MetricValue(metrics, "transcodefarm_edge_disk_cache_rejected_total{reason=\"checksum\"}")); // at the first read
        Assert.True(double.IsNaN(EdgeTests.MetricValue(metrics, "transcodefarm_edge_cache_tier_hits_total{tier=\"disk\"}")), metrics);
    }

    [Fact]
    public async Task Ranges_head_and_conditional_requests_are_answered_from_a_disk_hit()
    {
        var directory = Directory.CreateTempSubdirectory("transcodefarm-disk-").FullName;
        await using var origin = new CountingOrigin();
        await origin.StartAsync();
        var bodies = Enumerable.Range(1, 3).Select(i => EdgeCdnTests.RandomBytes(200_000 + i)).ToArray();
        for (var i = 0; i < 3; i++)
        {
            origin.Put($"d3/seg-0-0000{i + 1}.m4s", bodies[i]);
        }

        var etags = new EntityTagHeaderValue?[3];
        await using (var first = await StartEdgeAsync(origin, directory))
        {
            for (var i = 0; i < 3; i++)
            {
                etags[i] = (await GetAsync(first, $"/vod/d3/seg-0-0000{i + 1}.m4s", bodies[i])).ETag;
            }

            await WaitForDiskWritesAsync(first, 3);
        }

        await using var second = await StartEdgeAsync(origin, directory);
        using (var range = new HttpRequestMessage(HttpMethod.Get, "/vod/d3/seg-0-00001.m4s"))
        {
            range.Headers.Range = new RangeHeaderValue(100, 199);
            using var response = await second.Http.SendAsync(range);
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal("HIT", response.Headers.GetValues("X-Cache").Single());
            Assert.Equal(bodies[0][100..200], await response.Content.ReadAsByteArrayAsync());
            Assert.Equal($"bytes 100-199/{bodies[0].Length}", response.Content.Headers.ContentRange!.ToString());
        }

        using (var head = new HttpRequestMessage(HttpMethod.Head, "/vod/d3/seg-0-00002.m4s"))
        {
            using var response = await second.Http.SendAsync(head);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("HIT", response.Headers.GetValues("X-Cache").Single());
            Assert.Equal(bodies[1].Length, response.Content.Headers.ContentLength);
            Assert.Equal("video/iso.segment", response.Content.Headers.ContentType!.MediaType);
        }

        using (var conditional = new HttpRequestMessage(HttpMethod.Get, "/vod/d3/seg-0-00003.m4s"))
        {
            conditional.Headers.IfNoneMatch.Add(etags[2]!);
            using var response = await second.Http.SendAsync(conditional);
            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
            Assert.Equal("HIT", response.Headers.GetValues("X-Cache").Single());
        }

        Assert.Equal(3, origin.TotalFetches);
        var metrics = await second.MetricsAsync();
        Assert.Equal(3, EdgeTests.MetricValue(metrics, "transcodefarm_edge_cache_tier_hits_total{tier=\"disk\"}"));
    }

    [Fact]
    public async Task A_purge_deletes_the_file_so_the_next_process_fetches_again()
    {
        const string admin = "admin-token-0123456789";
        var directory = Directory.CreateTempSubdirectory("transcodefarm-disk-").FullName;
        await using var origin = new CountingOrigin();
        await origin.StartAsync();
        var body = EdgeCdnTests.RandomBytes(100_000);
        origin.Put("d4/seg-0-00001.m4s", body);
        var file = Path.Combine(directory, DiskEntryHeader.FileName("d4/seg-0-00001.m4s"));

        await using (var first = await StartEdgeAsync(origin, directory, admin))
        {
            await GetAsync(first, "/vod/d4/seg-0-00001.m4s", body);
            await WaitForDiskWritesAsync(first, 1);
            Assert.True(File.Exists(file));
            using var purge = new HttpRequestMessage(HttpMethod.Post, "/admin/purge?asset=d4");
            purge.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            Assert.Equal(HttpStatusCode.OK, (await first.Http.SendAsync(purge)).StatusCode);
            Assert.False(File.Exists(file));
        }

        await using var second = await StartEdgeAsync(origin, directory);
        Assert.Equal("MISS", (await GetAsync(second, "/vod/d4/seg-0-00001.m4s", body)).Cache);
        Assert.Equal(2, origin.Fetches("d4/seg-0-00001.m4s"));
    }

    [Fact]
    public async Task A_link_or_a_fifo_in_the_directory_is_neither_followed_nor_waited_on()
    {
        var directory = Directory.CreateTempSubdirectory("transcodefarm-disk-").FullName;
        var outside = Directory.CreateTempSubdirectory("transcodefarm-outside-").FullName;
        await using var origin = new CountingOrigin();
        await origin.StartAsync();
        var linked = EdgeCdnTests.RandomBytes(100_001);
        var fifo = EdgeCdnTests.RandomBytes(100_002);
        origin.Put("d5/seg-0-00001.m4s", linked);
        origin.Put("d5/seg-0-00002.m4s", fifo);

        await using (var first = await StartEdgeAsync(origin, directory))
        {
            await GetAsync(first, "/vod/d5/seg-0-00001.m4s", linked);
            await WaitForDiskWritesAsync(first, 1);
        }

        // A good file moved out and linked back: it would check out, but the edge reads only its own regular files.
        var name = DiskEntryHeader.FileName("d5/seg-0-00001.m4s");
        File.Move(Path.Combine(directory, name), Path.Combine(outside, name));
        File.CreateSymbolicLink(Path.Combine(directory, name), Path.Combine(outside, name));
        var psi = new ProcessStartInfo("mkfifo") { UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(directory, DiskEntryHeader.FileName("d5/seg-0-00002.m4s")));
        using (var mkfifo = Process.Start(psi)!)
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        await using var second = await StartEdgeAsync(origin, directory);
        Assert.Equal("MISS", (await GetAsync(second, "/vod/d5/seg-0-00001.m4s", linked)).Cache);
        Assert.Equal("MISS", (await GetAsync(second, "/vod/d5/seg-0-00002.m4s", fifo)).Cache);
        Assert.Equal(2, origin.Fetches("d5/seg-0-00001.m4s"));
        Assert.Equal(1, origin.Fetches("d5/seg-0-00002.m4s"));
        Assert.True(File.Exists(Path.Combine(outside, name))); // the link's target was never touched
    }

    [Fact]
    public async Task The_disk_tier_stays_within_its_budget_by_deleting_evicted_files()
    {
        var directory = Directory.CreateTempSubdirectory("transcodefarm-disk-").FullName;
        await using var origin = new CountingOrigin();
        await origin.StartAsync();
        await using var edge = new EdgeProcess();
        await edge.StartAsync(origin.BaseUrl, new Dictionary<string, string>
        {
            ["Edge:DiskCacheDirectory"] = directory,
            ["Edge:DiskCacheBytes"] = "700000",
            ["Edge:MaxCachedObjectBytes"] = "300000",
        });
        for (var i = 1; i <= 5; i++)
        {
            var body = EdgeCdnTests.RandomBytes(200_000 + i);
            origin.Put($"d6/seg-0-0000{i}.m4s", body);
            await GetAsync(edge, $"/vod/d6/seg-0-0000{i}.m4s", body);
            await WaitForDiskWritesAsync(edge, i); // one at a time: the order of admission is the order of requests
        }

        var files = new DirectoryInfo(directory).GetFiles("*.obj");
        Assert.Equal(3, files.Length); // 3 × ~200 KB fit in 700 KB, 4 do not
        Assert.True(files.Sum(f => f.Length) <= 700_000);
        var metrics = await edge.MetricsAsync();
        Assert.Equal(2, EdgeTests.MetricValue(metrics, "transcodefarm_edge_cache_tier_evictions_total{tier=\"disk\"}"));
        Assert.Equal(files.Sum(f => f.Length), EdgeTests.MetricValue(metrics, "transcodefarm_edge_cache_tier_bytes{tier=\"disk\"}"));
    }

    [Fact]
    public async Task A_disk_budget_below_the_largest_cacheable_object_stops_the_edge_with_a_message_naming_the_setting()
    {
        await using var origin = new CountingOrigin();
        await origin.StartAsync();
        await using var edge = new EdgeProcess();
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => edge.StartAsync(origin.BaseUrl, new Dictionary<string, string>
        {
            ["Edge:DiskCacheDirectory"] = Directory.CreateTempSubdirectory("transcodefarm-disk-").FullName,
            ["Edge:DiskCacheBytes"] = "1000",
        }));
        Assert.Contains("Edge:DiskCacheBytes", failed.Message);
    }

    private static async Task<EdgeProcess> StartEdgeAsync(CountingOrigin origin, string directory, string? adminToken = null)
    {
        var edge = new EdgeProcess();
        var settings = new Dictionary<string, string>
        {
            ["Edge:DiskCacheDirectory"] = directory,
            ["Edge:DiskCacheBytes"] = "100000000",
        };
        if (adminToken is not null)
        {
            settings["Edge:AdminToken"] = adminToken;
        }

        await edge.StartAsync(origin.BaseUrl, settings);
        return edge;
    }

    private static async Task<(string Cache, EntityTagHeaderValue? ETag)> GetAsync(EdgeProcess edge, string path, byte[] expected)
    {
        using var response = await edge.Http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
        return (response.Headers.GetValues("X-Cache").Single(), response.Headers.ETag);
    }

    /// <summary>Disk writes run in the background: wait until the edge says they are renamed into place.</summary>
    internal static async Task WaitForDiskWritesAsync(EdgeProcess edge, int count)
    {
        var clock = Stopwatch.StartNew();
        while (EdgeTests.MetricValue(await edge.MetricsAsync(), "transcodefarm_edge_disk_cache_writes_total{result=\"ok\"}") is var written
            && !(written >= count))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"{written} of {count} disk writes done:\n{edge.Output}");
            await Task.Delay(50);
        }
    }
}
