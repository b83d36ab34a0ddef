using System.Net;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// The edge follows the job database: only published assets are served, a deleted asset disappears from the farm's
/// edge and from a shield child edge in front of it, and an asset that requires tokens refuses every request without a
/// good one (missing, forged, expired, other asset) while rewriting its manifests for a viewer who has one.
/// </summary>
[Collection(SharedFarmCollection.Name)]
public sealed class EdgePublicationTests(SharedFarm shared)
{
    private FarmProcess Farm => shared.Farm;

    private Dictionary<string, string> CliEnv => FarmProcess.TestEnvironment(Farm.DataDirectory);

    [Fact]
    public async Task Objects_of_an_asset_that_was_never_published_are_not_served()
    {
        var folder = Directory.CreateDirectory(Path.Combine(Farm.StoreFolder, "neverpublished"));
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "seg-0-00001.m4s"), "uploaded while encoding, then rejected");
        using var response = await Farm.Http.GetAsync(new Uri("/vod/neverpublished/seg-0-00001.m4s", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_deleted_asset_is_gone_from_the_edge_and_from_a_shield_child_and_from_the_store()
    {
        Farm.Drop(await TestMedia.ClipAsync(160, 120, 3, extra: "-metadata comment=delete-me"), "delete me.mp4");
        var job = await Farm.WaitForJobAsync("delete me.mp4");
        Assert.True(job.State == JobState.Succeeded, job.Error);
        var asset = job.Outputs!.AssetId;
        var master = $"/vod/{asset}/{OutputLayout.HlsMaster}";
        var segment = $"{Farm.AssetPath(asset)}seg-0-00001.m4s";

        // A shield tier: a child edge whose origin is the farm's edge, following the same job database.
        await using var child = new EdgeProcess(Farm.DataDirectory);
        await child.StartAsync(Farm.BaseUrl + "/vod/", new Dictionary<string, string> { ["Edge:AssetPollInterval"] = "00:00:00.500" });
        foreach (var client in new[] { Farm.Http, child.Http })
        {
            foreach (var path in new[] { master, segment })
            {
                using var first = await client.GetAsync(new Uri(path, UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, first.StatusCode);
                using var second = await client.GetAsync(new Uri(path, UriKind.Relative));
                Assert.Equal("HIT", second.Headers.GetValues("X-Cache").Single());
            }
        }

        var deleted = await Tools.CliAsync(CliEnv, "assets", "delete", asset);
        Assert.True(deleted.ExitCode == 0, deleted.Stderr + deleted.Stdout);
        Assert.False(Directory.Exists(Path.Combine(Farm.StoreFolder, asset)) && Directory.EnumerateFiles(Path.Combine(Farm.StoreFolder, asset), "*", SearchOption.AllDirectories).Any());
        foreach (var client in new[] { Farm.Http, child.Http })
        {
            foreach (var path in new[] { master, segment })
            {
                await WaitForStatusAsync(client, path, HttpStatusCode.NotFound);
            }
        }

        var listed = await Tools.CliAsync(CliEnv, "assets", "list");
        Assert.Contains("deleted", listed.Stdout);
    }

    [Fact]
    public async Task An_asset_that_requires_tokens_refuses_requests_without_a_good_one_and_rewrites_manifests_for_those_with_one()
    {
        var job = await TokenAssetAsync(Farm);
        Assert.True(job.State == JobState.Succeeded, job.Error);
        Assert.True(job.RequireToken);
        var asset = job.Outputs!.AssetId;
        var token = (await Tools.CliAsync(CliEnv, "token", asset)).Stdout.Trim();
        var expired = (await Tools.CliAsync(CliEnv, "token", asset, "--ttl", "00:00:00")).Stdout.Trim();
        var other = (await Tools.CliAsync(CliEnv, "token", "someotherasset")).Stdout.Trim();
        var forged = token[..^3] + (token[^3..] == "AAA" ? "BBB" : "AAA");
        var elsewhere = (await Tools.CliAsync(CliEnv, "token", asset, "--client-ip", "192.0.2.7")).Stdout.Trim();
        Assert.Contains('.', token);

        foreach (var (query, reason) in new[] { ("", "required"), ("?token=" + expired, "expired"), ("?token=" + other, "another asset"),
                     ("?token=" + forged, "signature"), ("?token=" + elsewhere, "another client") })
        {
            foreach (var file in new[] { OutputLayout.HlsMaster, OutputLayout.DashManifest, "g1/init-0.mp4", "g1/seg-0-00001.m4s" })
            {
                using var refused = await Farm.Http.GetAsync(new Uri($"/vod/{asset}/{file}{query}", UriKind.Relative));
                Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
                Assert.Contains(reason, await refused.Content.ReadAsStringAsync());
                Assert.Equal("no-store", refused.Headers.CacheControl!.ToString());
            }
        }

        using var master = await Farm.Http.GetAsync(new Uri($"/vod/{asset}/{OutputLayout.HlsMaster}?token={token}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, master.StatusCode);
        Assert.Contains("private", master.Headers.CacheControl!.ToString());
        var text = await master.Content.ReadAsStringAsync();
        Assert.All(text.Split('\n').Where(l => l.EndsWith(".m3u8", StringComparison.Ordinal) || l.Contains(".m3u8?", StringComparison.Ordinal)),
            l => Assert.Contains("token=", l));
        var playlist = text.Split('\n').First(l => l.StartsWith("g1/media_", StringComparison.Ordinal));
        var media = await Farm.Http.GetStringAsync(new Uri($"/vod/{asset}/{playlist}", UriKind.Relative));
        Assert.All(media.Split('\n').Where(l => l.StartsWith("seg-", StringComparison.Ordinal) || l.StartsWith("#EXT-X-MAP", StringComparison.Ordinal)),
            l => Assert.Contains("token=", l));
        var mpd = await Farm.Http.GetStringAsync(new Uri($"/vod/{asset}/{OutputLayout.DashManifest}?token={token}", UriKind.Relative));
        Assert.Contains("m4s?token=", mpd);

        // The token is never part of the cache key: two viewers with different tokens share one cached segment.
        var second = (await Tools.CliAsync(CliEnv, "token", asset, "--ttl", "00:10:00")).Stdout.Trim();
        using var a = await Farm.Http.GetAsync(new Uri($"/vod/{asset}/g1/seg-0-00001.m4s?token={token}", UriKind.Relative));
        using var b = await Farm.Http.GetAsync(new Uri($"/vod/{asset}/g1/seg-0-00001.m4s?token={second}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
        Assert.Equal("HIT", b.Headers.GetValues("X-Cache").Single());
    }

    private static Task<JobRecord>? _tokenAsset;

    /// <summary>One clip submitted with sidecar "requireToken": true (shared with the browser tests).</summary>
    internal static Task<JobRecord> TokenAssetAsync(FarmProcess farm) => _tokenAsset ??= DropTokenAssetAsync(farm);

    private static async Task<JobRecord> DropTokenAssetAsync(FarmProcess farm)
    {
        var clip = await TestMedia.ClipAsync(160, 120, 3, extra: "-metadata comment=token-asset");
        Directory.CreateDirectory(farm.DropFolder);
        await File.WriteAllTextAsync(Path.Combine(farm.DropFolder, "needs token.mp4.json"), """{"requireToken": true}""");
        farm.Drop(clip, "needs token.mp4");
        return await farm.WaitForJobAsync("needs token.mp4");
    }

    private static async Task WaitForStatusAsync(HttpClient client, string path, HttpStatusCode expected)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            status = response.StatusCode;
            if (status == expected)
            {
                return;
            }

            await Task.Delay(200);
        }
        while (clock.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Fail($"{path} still answers {status} 10 s after the change");
    }
}
