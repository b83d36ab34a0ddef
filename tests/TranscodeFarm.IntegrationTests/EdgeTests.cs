using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>A player's view: everything through the edge's HTTP endpoints of a running farm.</summary>
[Collection(SharedFarmCollection.Name)]
public sealed partial class EdgeTests(SharedFarm shared)
{
    private FarmProcess Farm => shared.Farm;

    private async Task<string> AssetUrlAsync()
    {
        var job = await LadderOutputTests.LadderJobAsync(Farm);
        Assert.NotNull(job.Outputs);
        return $"/vod/{job.Outputs.AssetId}/g{job.Outputs.Generation}/"; // the published generation's own folder
    }

    [Fact]
    public async Task Serves_every_manifest_and_every_segment_they_reference_with_the_right_type()
    {
        var job = await LadderOutputTests.LadderJobAsync(Farm);
        var root = $"/vod/{job.Outputs!.AssetId}/";
        var generation = $"g{job.Outputs.Generation}/";
        Assert.True(job.Outputs.Generation >= 1);

        // The root manifests lead every URI into the published generation's folder, where the plain ones live.
        var rootMaster = await GetTextAsync(root + OutputLayout.HlsMaster);
        Assert.All(HlsParser.ParseMaster(rootMaster).Variants, v => Assert.StartsWith(generation, v.Uri, StringComparison.Ordinal));
        Assert.Contains($"<BaseURL>{generation}</BaseURL>", await GetTextAsync(root + OutputLayout.DashManifest), StringComparison.Ordinal);
        var asset = root + generation;
        var manifests = new Dictionary<string, string>();
        foreach (var name in new[] { OutputLayout.HlsMaster, OutputLayout.DashManifest })
        {
            manifests[name] = await GetTextAsync(asset + name);
        }

        foreach (var playlist in HlsParser.ParseMaster(manifests[OutputLayout.HlsMaster]).Variants.Select(v => v.Uri)
                     .Concat(HlsParser.ParseMaster(manifests[OutputLayout.HlsMaster]).Media.Select(m => m.Uri!)))
        {
            manifests[playlist] = await GetTextAsync(asset + playlist);
        }

        var check = ManifestCheck.Check(manifests);
        Assert.True(check.Ok, string.Join("\n", check.Problems));
        var audioId = DashParser.Parse(manifests[OutputLayout.DashManifest]).Representations.Single(r => r.ContentType == "audio").Id;
        foreach (var file in check.ReferencedFiles.Where(f => !OutputLayout.IsManifest(f)))
        {
            using var response = await Farm.Http.GetAsync(new Uri(asset + file, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var isAudio = file.StartsWith($"init-{audioId}.", StringComparison.Ordinal) || file.StartsWith($"seg-{audioId}-", StringComparison.Ordinal);
            var expected = isAudio ? "audio/mp4" : file.EndsWith(".mp4", StringComparison.Ordinal) ? "video/mp4" : "video/iso.segment";
            Assert.Equal(expected, response.Content.Headers.ContentType!.MediaType);
            Assert.Contains("immutable", response.Headers.CacheControl!.ToString());
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(Farm.StoreFolder, job.Outputs.ObjectPrefix, file)), body);
        }
    }

    [Fact]
    public async Task Manifests_have_their_types_short_cache_and_cors()
    {
        var asset = await AssetUrlAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, asset + OutputLayout.HlsMaster);
        request.Headers.Add("Origin", "https://player.example");
        using var hls = await Farm.Http.SendAsync(request);
        Assert.Equal("application/vnd.apple.mpegurl", hls.Content.Headers.ContentType!.MediaType);
        Assert.Equal("public, max-age=10", hls.Headers.CacheControl!.ToString());
        Assert.Equal("*", hls.Headers.GetValues("Access-Control-Allow-Origin").Single());
        using var mpd = await Farm.Http.GetAsync(new Uri(asset + OutputLayout.DashManifest, UriKind.Relative));
        Assert.Equal("application/dash+xml", mpd.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Second_fetch_is_a_cache_hit_and_shows_in_metrics()
    {
        var url = new Uri(await AssetUrlAsync() + "init-1.mp4", UriKind.Relative);
        using var first = await Farm.Http.GetAsync(url);
        using var second = await Farm.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("HIT", second.Headers.GetValues("X-Cache").Single());
        var metrics = await Farm.MetricsAsync();
        Assert.True(MetricValue(metrics, "transcodefarm_edge_requests_total{type=\"init\",result=\"hit\"}") >= 1, metrics);
        Assert.InRange(MetricValue(metrics, "transcodefarm_edge_cache_hit_ratio"), 0.01, 1.0);
        Assert.True(MetricValue(metrics, "transcodefarm_edge_bytes_served_total{type=\"init\",result=\"hit\"}") > 0);
    }

    [Fact]
    public async Task Range_requests_and_conditional_gets_work()
    {
        var url = await AssetUrlAsync() + "seg-0-00001.m4s";
        var whole = await Farm.Http.GetByteArrayAsync(new Uri(url, UriKind.Relative));
        using var range = new HttpRequestMessage(HttpMethod.Get, url);
        range.Headers.Range = new RangeHeaderValue(100, 199);
        using var partial = await Farm.Http.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal($"bytes 100-199/{whole.Length}", partial.Content.Headers.ContentRange!.ToString());
        Assert.Equal(whole[100..200], await partial.Content.ReadAsByteArrayAsync());

        using var full = await Farm.Http.GetAsync(new Uri(url, UriKind.Relative));
        var etag = full.Headers.ETag!;
        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(etag);
        using var notModified = await Farm.Http.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var beyond = new HttpRequestMessage(HttpMethod.Get, url);
        beyond.Headers.Range = new RangeHeaderValue(whole.Length + 10, whole.Length + 20);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await Farm.Http.SendAsync(beyond)).StatusCode);
    }

    [Theory]
    [InlineData("/vod/../queue.db")]
    [InlineData("/vod/%2e%2e/queue.db")]
    [InlineData("/vod/x/%2e%2e/%2e%2e/queue.db")]
    [InlineData("/vod/..%2fqueue.db")]
    [InlineData("/vod/.meta/x")]
    [InlineData("/vod/.tmp/x")]
    [InlineData("/vod/nope/master.m3u8")]
    public async Task Paths_outside_assets_are_refused(string path)
    {
        using var client = new HttpClient();
        // Raw request line: HttpClient would otherwise normalise the dots away before sending.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Farm.Port);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream);
        var response = await reader.ReadToEndAsync();
        var status = int.Parse(response.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(status is 400 or 404, $"{path} → {status}");
        Assert.DoesNotContain("SQLite format", response);
    }

    [Fact]
    public async Task Health_and_head_requests()
    {
        var health = await Farm.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var head = new HttpRequestMessage(HttpMethod.Head, await AssetUrlAsync() + OutputLayout.DashManifest);
        using var response = await Farm.Http.SendAsync(head);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Content.Headers.ContentLength > 100);
    }

    private async Task<string> GetTextAsync(string path)
    {
        using var response = await Farm.Http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    internal static double MetricValue(string metrics, string series)
    {
        var match = Regex.Match(metrics, "^" + Regex.Escape(series) + @" ([0-9.eE+-]+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : double.NaN;
    }
}
