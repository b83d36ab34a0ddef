using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>Process death and shutdown in the middle of an encode.</summary>
public sealed class RestartTests
{
    private static async Task<JobRecord> WaitForEncodingAsync(FarmProcess farm, string name)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var job = (await farm.Queue.ListAsync(null, 10, default)).FirstOrDefault(j => j.SourceName == name);
            if (job is { State: JobState.Running, Progress: { Stage: PipelineStage.Encode, Fraction: > 0.05 } })
            {
                return job;
            }

            Assert.False(job?.State.IsTerminal() ?? false, $"the job ended before the test could interrupt it: {job?.State}");
            await Task.Delay(50);
        }

        throw new TimeoutException("the job never started encoding:\n" + farm.Output);
    }

    [Fact]
    public async Task Killed_during_encode_then_restarted_completes_the_job_once()
    {
        var profiles = SlowProfile.CreateFolder();
        var clip = await TestMedia.ClipAsync(640, 360, 12, extra: "-metadata comment=restart");
        var farm = new FarmProcess();
        string data = farm.DataDirectory;
        await using (farm)
        {
            await farm.StartAsync(SlowProfile.Environment(profiles));
            farm.Drop(clip, "power cut.mp4");
            await WaitForEncodingAsync(farm, "power cut.mp4");
            farm.Kill(); // SIGKILL: no cleanup, the lease stays on the dead worker
        }

        await using var second = new FarmProcess(data);
        await second.StartAsync(SlowProfile.Environment(profiles));
        var job = await second.WaitForJobAsync("power cut.mp4", TimeSpan.FromSeconds(120));
        Assert.True(job.State == JobState.Succeeded, job.Error + second.Output);
        Assert.Equal(2, job.Attempts);
        Assert.Single(await second.Queue.ListAsync(null, 100, default), j => j.SourceName == "power cut.mp4");
        var events = await second.Queue.EventsAsync(job.Id, default);
        // Either the new worker's claim or the maintenance reaper takes the expired lease back first; both are right.
        Assert.Contains(events, e => e.Message?.Contains("reclaimed after the lease", StringComparison.Ordinal) == true
            || e.Message?.Contains("lease of", StringComparison.Ordinal) == true && e.Message.Contains("expired", StringComparison.Ordinal));
        Assert.Single(events, e => e.State == "succeeded");

        // The published asset is complete and consistent.
        var folder = Path.Combine(second.StoreFolder, job.Outputs!.ObjectPrefix);
        var manifests = Directory.EnumerateFiles(folder).Where(f => OutputLayout.IsManifest(Path.GetFileName(f))).ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
        var check = ManifestCheck.Check(manifests);
        Assert.True(check.Ok, string.Join("\n", check.Problems));
        Assert.All(check.ReferencedFiles, f => Assert.True(File.Exists(Path.Combine(folder, f)), f));
        Assert.Equal(12.0, DashParser.Parse(manifests[OutputLayout.DashManifest]).DurationSeconds!.Value, 0);
        await FarmProcess.WaitForFileAsync(Path.Combine(second.DropFolder, "done", "power cut.mp4"));
    }

    [Fact]
    public async Task Sigterm_during_a_job_exits_cleanly_and_never_leaves_it_running()
    {
        var profiles = SlowProfile.CreateFolder();
        var clip = await TestMedia.ClipAsync(640, 360, 12, extra: "-metadata comment=sigterm");
        await using var farm = new FarmProcess();
        var env = SlowProfile.Environment(profiles);
        env["TRANSCODEFARM__Worker__ShutdownGrace"] = "00:00:01"; // too short to finish: the job must be released
        await farm.StartAsync(env);
        farm.Drop(clip, "deploy.mp4");
        var running = await WaitForEncodingAsync(farm, "deploy.mp4");

        var exitCode = await farm.TerminateAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, exitCode);
        var job = (await farm.Queue.GetAsync(running.Id, default))!;
        Assert.Equal(JobState.Queued, job.State);
        Assert.Null(job.LeaseOwner);
        Assert.Equal(0, job.Attempts); // a release does not count as a failed attempt
        Assert.Contains(await farm.Queue.EventsAsync(job.Id, default), e => e.Message == "released by a worker shutting down");
        Assert.DoesNotContain(System.Diagnostics.Process.GetProcessesByName("ffmpeg"), p => IsChildOfFarm(p, farm));
    }

    [Fact]
    public async Task Cancelling_a_running_job_stops_its_ffmpeg_and_keeps_the_file_with_the_reason()
    {
        var profiles = SlowProfile.CreateFolder();
        var clip = await TestMedia.ClipAsync(640, 360, 12, extra: "-metadata comment=cancel");
        await using var farm = new FarmProcess();
        await farm.StartAsync(SlowProfile.Environment(profiles));
        farm.Drop(clip, "changed my mind.mp4");
        var running = await WaitForEncodingAsync(farm, "changed my mind.mp4");

        var cancel = await Tools.CliAsync(FarmProcess.TestEnvironment(farm.DataDirectory), "jobs", "cancel", running.Id);
        Assert.True(cancel.ExitCode == 0, cancel.Stderr);
        var job = await farm.WaitForJobAsync("changed my mind.mp4", TimeSpan.FromSeconds(30));
        Assert.Equal(JobState.Cancelled, job.State);
        Assert.Equal("cancelled by request", job.Error);
        await FarmProcess.WaitForFileAsync(Path.Combine(farm.DropFolder, "failed", "changed my mind.mp4.error.json"));
        Assert.DoesNotContain(System.Diagnostics.Process.GetProcessesByName("ffmpeg"), p => IsChildOfFarm(p, farm));
        // Its init segments went up under g1 as soon as the packager made them (never published); the cancelled attempt
        // deleted them again (the empty folders of the filesystem store are no objects).
        var folder = Path.Combine(farm.StoreFolder, running.Id);
        Assert.False(Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Any(), "nothing of a cancelled job is left in the store");
    }

    private static bool IsChildOfFarm(System.Diagnostics.Process p, FarmProcess farm)
    {
        try
        {
            return File.ReadAllText($"/proc/{p.Id}/cmdline").Contains(farm.DataDirectory, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
