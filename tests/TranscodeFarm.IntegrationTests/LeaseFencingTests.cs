using System.Diagnostics;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.IntegrationTests.Infrastructure;
using TranscodeFarm.Queue;
using TranscodeFarm.Queue.Assets;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// Leases on the database's clock, a worker that stops a job it can no longer renew, and generations: a skewed host, a
/// partitioned worker and a killed one can neither take a healthy job nor mix, overwrite or publish objects.
/// </summary>
public sealed class LeaseFencingTests
{
    private static readonly string[] FakeTimeLibraries =
    [
        "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
    ];

    private static async Task<JobRecord> SubmitSlowAsync(IJobQueue queue, string data, string name)
    {
        var folder = Path.Combine(data, "sources", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "source.mp4");
        File.Copy(await TestMedia.ClipAsync(640, 360, 12, extra: $"-metadata comment={name}"), path);
        return (await queue.SubmitAsync(new JobRequest
        {
            SourcePath = path, SourceName = name, ContentHash = name, Profile = "slow-test", Origin = JobOrigin.Submit, Force = true,
        }, default)).Job;
    }

    private static async Task<JobRecord> WaitAsync(IJobQueue queue, string id, Func<JobRecord, bool> condition, TimeSpan timeout, string what, Func<string> log)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = (await queue.GetAsync(id, default))!;
            if (condition(job))
            {
                return job;
            }

            Assert.True(clock.Elapsed < timeout, $"timed out waiting for {what} (job {job.State}, {job.Error})\n{log()}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_worker_whose_clock_runs_a_minute_ahead_takes_no_healthy_job()
    {
        var library = FakeTimeLibraries.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException("libfaketime is missing: scripts/test.sh installs it");
        var url = await TestPostgres.CreateDatabaseAsync();
        var data = Directory.CreateTempSubdirectory("tf-skew-").FullName;
        var queue = await TestPostgres.CreateQueueAsync(TimeProvider.System, new QueueOptions(), url);
        var env = SlowProfile.Environment(SlowProfile.CreateFolder());
        await using var honest = new FarmProcess(data);
        await honest.StartAsync(env, queueUrl: url, workerOnly: true);
        var job = await SubmitSlowAsync(queue, data, "skew.mp4");
        await WaitAsync(queue, job.Id, j => j.Progress is { Stage: PipelineStage.Encode }, TimeSpan.FromSeconds(60), "the encode", () => honest.Output);

        // 60 s ahead, against 4 s leases: by its own clock every lease in the farm ran out long ago.
        await using var skewed = new FarmProcess(data);
        await skewed.StartAsync(new Dictionary<string, string>(env) { ["LD_PRELOAD"] = library, ["FAKETIME"] = "+60s", ["DONT_FAKE_MONOTONIC"] = "1" }, queueUrl: url, workerOnly: true);
        var done = await WaitAsync(queue, job.Id, j => j.State.IsTerminal(), TimeSpan.FromMinutes(3), "the job", () => honest.Output + skewed.Output);

        Assert.True(done.State == JobState.Succeeded, done.Error);
        Assert.Equal((1, 1), (done.Attempts, done.Generation));
        var events = await queue.EventsAsync(job.Id, default);
        Assert.Single(events, e => e.State == "running");
        Assert.Equal(0, EdgeTests.MetricValue(await skewed.MetricsAsync(), "transcodefarm_leases_reclaimed_total"));

        // The skewed worker is not broken, only harmless: it takes and finishes work of its own.
        await honest.TerminateAsync(TimeSpan.FromSeconds(30));
        var next = await SubmitSlowAsync(queue, data, "after skew.mp4");
        var finished = await WaitAsync(queue, next.Id, j => j.State.IsTerminal(), TimeSpan.FromMinutes(3), "the skewed worker's job", () => skewed.Output);
        Assert.True(finished.State == JobState.Succeeded, finished.Error + skewed.Output);
    }

    [Fact]
    public async Task A_worker_cut_off_from_the_database_stops_its_job_in_time_and_the_new_owner_publishes_alone()
    {
        var url = await TestPostgres.CreateDatabaseAsync();
        var database = new Uri(url);
        await using var proxy = new TcpProxy(database.Port);
        var throughProxy = new UriBuilder(database) { Port = proxy.Port }.Uri.ToString();
        var data = Directory.CreateTempSubdirectory("tf-partition-").FullName;
        var queue = await TestPostgres.CreateQueueAsync(TimeProvider.System, new QueueOptions(), url);
        var env = new Dictionary<string, string>(SlowProfile.Environment(SlowProfile.CreateFolder()))
        {
            ["TRANSCODEFARM__Worker__LeaseDuration"] = "00:00:06",
            ["TRANSCODEFARM__Worker__HeartbeatInterval"] = "00:00:01",
        };
        await using var cutOff = new FarmProcess(data);
        await cutOff.StartAsync(env, queueUrl: throughProxy, workerOnly: true);
        var job = await SubmitSlowAsync(queue, data, "partition.mp4");
        var running = await WaitAsync(queue, job.Id, j => j.Progress is { Stage: PipelineStage.Encode, Fraction: > 0.05 }, TimeSpan.FromSeconds(60), "the encode", () => cutOff.Output);
        var firstPrefix = Path.Combine(data, "store", job.Id, "g1");
        await FarmProcess.WaitForFileAsync(Path.Combine(firstPrefix, "seg-0-00001.m4s"), TimeSpan.FromSeconds(60)); // some of g1 is up

        proxy.Partition();
        var partitioned = Stopwatch.StartNew();
        await WaitForLogAsync(cutOff, "stopping the job before its lease can run out", TimeSpan.FromSeconds(20));
        Assert.True(partitioned.Elapsed < TimeSpan.FromSeconds(6), $"the job was stopped {partitioned.Elapsed.TotalSeconds:0.0} s after the partition, past its 6 s lease");

        await using var successor = new FarmProcess(data);
        await successor.StartAsync(env, queueUrl: url, workerOnly: true);
        var done = await WaitAsync(queue, job.Id, j => j.State.IsTerminal(), TimeSpan.FromMinutes(3), "the new owner", () => successor.Output);
        proxy.Heal();

        Assert.True(done.State == JobState.Succeeded, done.Error + successor.Output);
        Assert.Equal(2, done.Generation);
        Assert.NotEqual(running.LeaseOwner, (await queue.EventsAsync(job.Id, default)).Single(e => e.State == "succeeded").WorkerId);
        var directory = new SqlAssetDirectory(queue, TimeProvider.System);
        Assert.Equal((AssetState.Published, 2), ((await directory.GetAsync(job.Id, default))!.State, (await directory.GetAsync(job.Id, default))!.Generation));

        // The root manifests lead only into g2, and g2 is whole: every file its manifests name is there.
        var root = await File.ReadAllTextAsync(Path.Combine(data, "store", job.Id, OutputLayout.HlsMaster));
        Assert.All(HlsParser.ParseMaster(root).Variants, v => Assert.StartsWith("g2/", v.Uri, StringComparison.Ordinal));
        var g2 = Path.Combine(data, "store", job.Id, "g2");
        var manifests = Directory.EnumerateFiles(g2).Where(f => OutputLayout.IsManifest(Path.GetFileName(f))).ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
        var check = ManifestCheck.Check(manifests);
        Assert.True(check.Ok, string.Join("\n", check.Problems));
        Assert.All(check.ReferencedFiles, f => Assert.True(File.Exists(Path.Combine(g2, f)), f));

        // Back on the network, the cut-off worker neither published nor deleted anything, and it still stops on SIGTERM.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(2, (await directory.GetAsync(job.Id, default))!.Generation);
        Assert.True(Directory.EnumerateFiles(g2).Count() >= check.ReferencedFiles.Count);
        Assert.True(EdgeTests.MetricValue(await cutOff.MetricsAsync(), "transcodefarm_lease_renewal_timeouts_total") >= 1);
        Assert.Equal(0, await cutOff.TerminateAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_retry_after_a_partial_publish_of_an_encrypted_asset_publishes_a_generation_that_decrypts_whole()
    {
        var env = SlowProfile.Environment(SlowProfile.CreateFolder());
        var farm = new FarmProcess();
        var data = farm.DataDirectory;
        await using (farm)
        {
            await farm.StartAsync(env);
            Directory.CreateDirectory(farm.DropFolder);
            await File.WriteAllTextAsync(Path.Combine(farm.DropFolder, "encrypted cut.json"), """{"drm": {"scheme": "cenc", "systems": ["clearkey"]}}""");
            farm.Drop(await TestMedia.ClipAsync(640, 360, 12, extra: "-metadata comment=encrypted-cut"), "encrypted cut.mp4");
            var jobId = await WaitForSegmentAsync(farm, "encrypted cut.mp4");
            Assert.True(File.Exists(Path.Combine(data, "store", jobId, "g1", "init-0.mp4")) || Directory.EnumerateFiles(Path.Combine(data, "store", jobId, "g1")).Any());
            farm.Kill(); // SIGKILL mid-encode: g1 is left half uploaded, with its own IVs
        }

        await using var second = new FarmProcess(data);
        await second.StartAsync(env);
        var job = await second.WaitForJobAsync("encrypted cut.mp4", TimeSpan.FromSeconds(120));
        Assert.True(job.State == JobState.Succeeded, job.Error + second.Output);
        Assert.Equal(2, job.Outputs!.Generation);

        // Through the edge: the root manifests lead into g2 only.
        var master = await second.Http.GetStringAsync(new Uri($"/vod/{job.Id}/{OutputLayout.HlsMaster}", UriKind.Relative));
        Assert.All(HlsParser.ParseMaster(master).Variants, v => Assert.StartsWith("g2/", v.Uri, StringComparison.Ordinal));
        Assert.DoesNotContain("g1/", master, StringComparison.Ordinal);

        // Every segment of the published generation decrypts with its init segment and the asset's key.
        var g2 = Path.Combine(data, "store", job.Id, "g2");
        foreach (var init in Directory.EnumerateFiles(g2, "init-*.mp4").Select(Path.GetFileName))
        {
            var rendition = init!["init-".Length..^".mp4".Length];
            var key = await DrmAssets.KeyAsync(second, job.Id, DrmAssets.KidOf(await File.ReadAllBytesAsync(Path.Combine(g2, init))));
            var segments = Directory.EnumerateFiles(g2, $"seg-{rendition}-*.m4s").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            Assert.NotEmpty(segments);
            foreach (var segment in segments)
            {
                var decoded = await DrmAssets.FrameMd5Async(g2, init, segment!, key);
                Assert.True(decoded.ExitCode == 0 && decoded.Frames.Length > 0, $"{segment} of g2 does not decrypt");
            }
        }

        // The dead attempt's objects are never served: g1 is not the published generation, and g3 does not exist.
        using var stale = await second.Http.GetAsync(new Uri($"/vod/{job.Id}/g3/init-0.mp4", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, stale.StatusCode);
    }

    private static async Task<string> WaitForSegmentAsync(FarmProcess farm, string name)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            var job = (await farm.Queue.ListAsync(null, 10, default)).FirstOrDefault(j => j.SourceName == name);
            Assert.False(job?.State.IsTerminal() ?? false, $"the job ended before the test could interrupt it: {job?.State} {job?.Error}");
            if (job is { State: JobState.Running } && File.Exists(Path.Combine(farm.StoreFolder, job.Id, "g1", "seg-0-00002.m4s")))
            {
                return job.Id;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("no segment was uploaded:\n" + farm.Output);
    }

    private static async Task WaitForLogAsync(FarmProcess farm, string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!farm.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < timeout, $"never logged \"{text}\":\n{farm.Output}");
            await Task.Delay(100);
        }
    }
}
