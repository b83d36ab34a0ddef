using System.Text.Json;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// Real players in a real browser: shaka-player and hls.js in Debian's headless Chromium (tests/browser/play.mjs)
/// play the farm's outputs through its edge, clear and ClearKey-encrypted, and a wrong key fails.
/// Needs scripts/browser-deps.sh (scripts/test.sh runs it).
/// </summary>
[Collection(SharedFarmCollection.Name)]
public sealed class BrowserPlaybackTests(SharedFarm shared)
{
    private FarmProcess Farm => shared.Farm;

    [Theory]
    [InlineData("clear", OutputLayout.HlsMaster, "hlsjs", false)]
    [InlineData("clear", OutputLayout.HlsMaster, "shaka", false)]
    [InlineData("clear", OutputLayout.DashManifest, "shaka", false)]
    [InlineData("cenc", OutputLayout.DashManifest, "shaka", true)]
    [InlineData("cenc", OutputLayout.HlsMaster, "hlsjs", true)]
    [InlineData("cenc", OutputLayout.HlsMaster, "shaka", false)] // KEYFORMAT="identity": the key URI, tokenized by the edge
    [InlineData("cbcs", OutputLayout.DashManifest, "shaka", true)]
    [InlineData("cbcs", OutputLayout.HlsMaster, "hlsjs", true)]
    public async Task Player_plays_the_asset(string scheme, string manifest, string player, bool licenseServer)
    {
        var job = scheme == "clear" ? await LadderOutputTests.LadderJobAsync(Farm) : await DrmAssets.JobAsync(Farm, scheme);
        var asset = job.Outputs!.AssetId;
        List<string> args = ["--url", $"{Farm.BaseUrl}/vod/{asset}/{manifest}", "--player", player, "--seconds", "2", "--timeout", "40"];
        if (scheme != "clear")
        {
            var token = await DrmAssets.TokenAsync(Farm, asset);
            if (licenseServer)
            {
                args.AddRange(["--license-url", $"{Farm.BaseUrl}/license/clearkey/{asset}?token={token}"]);
            }
            else
            {
                args[1] += "?token=" + token;
            }
        }

        var result = await PlayAsync(args);
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.True(result.GetProperty("decodedFrames").GetInt32() > 10, result.ToString());
        Assert.Equal(scheme != "clear", result.GetProperty("drm").GetBoolean());
    }

    [Theory]
    [InlineData(OutputLayout.HlsMaster, "hlsjs")]
    [InlineData(OutputLayout.DashManifest, "shaka")]
    public async Task An_asset_that_requires_tokens_plays_with_the_token_carried_to_every_playlist_and_segment(string manifest, string player)
    {
        var job = await EdgePublicationTests.TokenAssetAsync(Farm);
        Assert.True(job.RequireToken, job.Error);
        var asset = job.Outputs!.AssetId;
        var token = await DrmAssets.TokenAsync(Farm, asset);
        var result = await PlayAsync(["--url", $"{Farm.BaseUrl}/vod/{asset}/{manifest}?token={token}", "--player", player, "--seconds", "2", "--timeout", "40"]);
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.True(result.GetProperty("decodedFrames").GetInt32() > 10, result.ToString());
    }

    [Fact]
    public async Task A_clear_lead_asset_plays_through_the_switch_to_encrypted_segments()
    {
        var job = await DrmAssets.JobAsync(Farm, "cbcs", "\"clearkey\"", ", \"clearLeadSeconds\": 2");
        // The first segment (2 s) is clear: no senc in it, a 'seig' group marking it unprotected.
        var first = await File.ReadAllBytesAsync(Path.Combine(Farm.StoreFolder, job.Outputs!.ObjectPrefix, "seg-0-00001.m4s"));
        Assert.True(first.AsSpan().IndexOf("senc"u8) < 0 && first.AsSpan().IndexOf("seig"u8) > 0);
        var asset = job.Outputs.AssetId;
        var token = await DrmAssets.TokenAsync(Farm, asset);
        var result = await PlayAsync(["--url", $"{Farm.BaseUrl}/vod/{asset}/{OutputLayout.DashManifest}", "--player", "shaka",
            "--license-url", $"{Farm.BaseUrl}/license/clearkey/{asset}?token={token}", "--seconds", "4", "--timeout", "40"]);
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.True(result.GetProperty("currentTime").GetDouble() >= 4, "playback did not get past the clear lead");
    }

    [Fact]
    public async Task A_wrong_key_does_not_play()
    {
        var asset = (await DrmAssets.JobAsync(Farm, "cenc")).Outputs!.AssetId;
        var kid = DrmAssets.KidOf(await File.ReadAllBytesAsync(Path.Combine(Farm.AssetFolder(asset), "init-0.mp4")));
        var result = await PlayAsync(["--url", $"{Farm.BaseUrl}/vod/{asset}/{OutputLayout.DashManifest}", "--player", "shaka",
            "--clearkey", $"{kid:N}:00112233445566778899aabbccddeeff", "--seconds", "2", "--timeout", "30"]);
        Assert.False(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.False(string.IsNullOrEmpty(result.GetProperty("error").GetString()));
    }

    internal static async Task<JsonElement> PlayAsync(IEnumerable<string> args)
    {
        var harness = Path.Combine(RepositoryRoot(), "tests", "browser");
        Assert.True(Directory.Exists(Path.Combine(harness, "node_modules")), "the browser harness is not installed: run scripts/browser-deps.sh");
        var run = await Tools.RunAsync("node", [Path.Combine(harness, "play.mjs"), .. args], timeout: TimeSpan.FromSeconds(90));
        var line = run.Stdout.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        Assert.True(line is not null && run.ExitCode is 0 or 1, $"harness failed (exit {run.ExitCode}): {run.Stdout}\n{run.Stderr}");
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TranscodeFarm.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root from " + AppContext.BaseDirectory);
    }
}
