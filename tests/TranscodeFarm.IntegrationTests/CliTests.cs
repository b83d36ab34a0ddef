using System.Text.Json;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

[Collection(SharedFarmCollection.Name)]
public sealed class CliTests(SharedFarm shared)
{
    private FarmProcess Farm => shared.Farm;
    private Dictionary<string, string> FarmEnv => FarmProcess.TestEnvironment(Farm.DataDirectory);

    public static TheoryData<string> Commands() =>
    [
        "", "run", "worker", "edge", "submit", "jobs", "jobs list", "jobs show", "jobs retry", "jobs cancel",
        "profiles", "profiles list", "profiles show", "plan", "demo",
    ];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Every_command_has_help(string command)
    {
        var r = await Tools.CliAsync(null, [.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Usage:", r.Stdout);
        Assert.Contains("Description:", r.Stdout);
    }

    [Theory]
    [InlineData("TRANSCODEFARM__Worker__Slots", "0", "Worker:Slots")]
    [InlineData("TRANSCODEFARM__Worker__HeartbeatInterval", "00:01:00", "Worker:HeartbeatInterval")]
    [InlineData("TRANSCODEFARM__Edge__Url", "not a url", "Edge:Url")]
    [InlineData("TRANSCODEFARM__Farm__ProfilesDirectory", "/nonexistent/profiles", "Farm:ProfilesDirectory")]
    public async Task Bad_configuration_stops_the_host_at_start_naming_the_setting(string variable, string value, string setting)
    {
        var data = Directory.CreateTempSubdirectory("tf-badcfg-").FullName;
        var env = new Dictionary<string, string> { ["TRANSCODEFARM__Edge__Url"] = $"http://127.0.0.1:{Tools.FreePort()}" };
        env[variable] = value; // (a --url flag would win over the environment)
        var r = await Tools.CliAsync(env, "--data-dir", data, "run");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(setting, r.Stderr);
    }

    [Fact]
    public async Task Profiles_list_and_show()
    {
        var list = await Tools.CliAsync(null, "profiles", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("h264-cmaf", list.Stdout);
        Assert.Contains("1080p@6000k", list.Stdout);
        var show = await Tools.CliAsync(null, "profiles", "show", "test-tiny");
        using var json = JsonDocument.Parse(show.Stdout);
        Assert.Equal(2, json.RootElement.GetProperty("video").GetArrayLength());
        var missing = await Tools.CliAsync(null, "profiles", "show", "nope");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("unknown profile 'nope'", missing.Stderr);
    }

    [Fact]
    public async Task Submit_wait_reports_urls_that_the_edge_serves_and_jobs_show_has_history()
    {
        var clip = await TestMedia.ClipAsync(200, 120, 2, extra: "-metadata comment=submit");
        var env = FarmEnv;
        env["TRANSCODEFARM__Edge__Url"] = Farm.BaseUrl;
        var r = await Tools.CliAsync(env, "submit", clip, "--profile", "test-tiny", "--wait", "--title", "CLI");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var hls = r.Stdout.Split('\n').Single(l => l.Contains("HLS:", StringComparison.Ordinal)).Split("HLS:")[1].Trim();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Farm.Http.GetAsync(new Uri(hls))).StatusCode);
        Assert.True(File.Exists(clip), "submit never moves or deletes the user's file");

        var again = await Tools.CliAsync(env, "submit", clip, "--profile", "test-tiny");
        Assert.Contains("already submitted as job", again.Stdout);

        var list = await Tools.CliAsync(env, "jobs", "list", "--json", "--state", "succeeded");
        using var jobs = JsonDocument.Parse(list.Stdout);
        var listed = jobs.RootElement.EnumerateArray().First(j => j.GetProperty("title").GetString() == "CLI");
        Assert.Equal("succeeded", listed.GetProperty("state").GetString()); // enum names, never numbers
        var id = listed.GetProperty("id").GetString()!;
        var show = await Tools.CliAsync(env, "jobs", "show", id);
        Assert.Contains("claimed", show.Stdout);
        Assert.Contains("succeeded", show.Stdout);

        var cancel = await Tools.CliAsync(env, "jobs", "cancel", id);
        Assert.Equal(1, cancel.ExitCode);
        Assert.Contains("is not queued or running", cancel.Stderr);
    }

    [Fact]
    public async Task A_failed_submitted_job_keeps_its_private_copy_so_jobs_retry_runs_it_again()
    {
        // The filesystem store (one machine): submit keeps a copy in DATA/sources/, which a failure no longer deletes.
        var text = Path.Combine(Directory.CreateTempSubdirectory("tf-submitfail-").FullName, "not a video.mov");
        await File.WriteAllTextAsync(text, "not a video " + Guid.NewGuid());
        var r = await Tools.CliAsync(FarmEnv, "submit", text, "--wait");
        Assert.Equal(1, r.ExitCode);
        var id = r.Stdout.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("submitted job ", StringComparison.Ordinal))["submitted job ".Length..];
        var job = (await Farm.Queue.GetAsync(id, default))!;
        Assert.Equal(JobState.Failed, job.State);
        await Task.Delay(500); // the worker settles right after the state --wait saw
        Assert.True(File.Exists(job.SourcePath), job.SourcePath);

        r = await Tools.CliAsync(FarmEnv, "jobs", "retry", id);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await Farm.Queue.EventsAsync(id, default)).Count(e => e.Message == "claimed") < 2 || !(await Farm.Queue.GetAsync(id, default))!.State.IsTerminal())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the retried job did not run");
            await Task.Delay(200);
        }

        var again = (await Farm.Queue.GetAsync(id, default))!;
        Assert.StartsWith("probe", again.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("gone", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_prints_the_exact_ffmpeg_arguments_which_run_as_is()
    {
        var clip = await TestMedia.ClipAsync(320, 240, 2);
        var output = Path.Combine(Directory.CreateTempSubdirectory("tf-plan-").FullName, "ladder.mp4");
        var r = await Tools.CliAsync(null, "plan", clip, "--profile", "test-tiny", "--output", output, "--args0");
        Assert.Equal(0, r.ExitCode);
        var args = r.Stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("-filter_complex", args);
        var ffmpeg = await Tools.RunAsync("ffmpeg", args);
        Assert.True(ffmpeg.ExitCode == 0, ffmpeg.Stderr);
        // One fragmented MP4 with every rendition as a track: what the packager reads from ffmpeg's stdout.
        var streams = await Tools.FfprobeAsync("-show_entries", "stream=codec_type", "-of", "csv=p=0", output);
        // ...plus, last, the fingerprint's small gray frames, and Chromaprint's output next to it.
        Assert.Equal(["video", "video", "audio", "video"], streams.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(File.Exists(output + ".chromaprint")); // empty for a 2 s clip: Chromaprint needs a few seconds of audio
    }
}
