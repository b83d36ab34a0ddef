using System.Text.Json;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Database;
using TranscodeFarm.IntegrationTests.Infrastructure;
using TranscodeFarm.Queue;

namespace TranscodeFarm.IntegrationTests;

/// <summary>Farm mode: several `transcodefarm worker` processes sharing one PostgreSQL queue and one store.</summary>
public sealed class FarmModeTests
{
    private static async Task<JobRecord> SubmitCopyAsync(IJobQueue queue, string dataDirectory, string clip, string name, string profile = "test-tiny")
    {
        // Like `transcodefarm submit`: a private copy under DATA/sources, a new job even for the same bytes.
        var folder = Path.Combine(dataDirectory, "sources", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "source.mp4");
        File.Copy(clip, path);
        var capability = profile == "x265-test" ? "encoder:libx265" : null;
        return (await queue.SubmitAsync(new JobRequest
        {
            SourcePath = path, SourceName = name, ContentHash = name, Profile = profile, Origin = JobOrigin.Submit, Force = true, RequiredCapability = capability,
        }, default)).Job;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < timeout, $"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Four_workers_run_200_jobs_each_exactly_once()
    {
        var url = await TestPostgres.CreateDatabaseAsync();
        var migrate = await Tools.CliAsync(null, "db", "migrate", "--queue", url);
        Assert.True(migrate.ExitCode == 0, migrate.Stderr);
        Assert.Contains("migrated schema from version 0", migrate.Stdout);

        var data = Directory.CreateTempSubdirectory("tf-farm-").FullName;
        var queue = await TestPostgres.CreateQueueAsync(TimeProvider.System, new QueueOptions(), url);
        var clip = await TestMedia.ClipAsync(64, 64, 0.5, audio: false);
        var workers = Enumerable.Range(0, 4).Select(_ => new FarmProcess(data)).ToList();
        try
        {
            await Task.WhenAll(workers.Select(w => w.StartAsync(queueUrl: url, workerOnly: true)));
            var ids = new List<string>();
            for (var i = 0; i < 200; i++)
            {
                ids.Add((await SubmitCopyAsync(queue, data, clip, $"short-{i}.mp4")).Id);
            }

            await WaitAsync(async () => (await queue.CountByStateAsync(default)).Where(kv => kv.Key.IsTerminal()).Sum(kv => kv.Value) == 200, TimeSpan.FromMinutes(5), "200 jobs");
            var failed = await queue.ListAsync(JobState.Failed, 1, default);
            Assert.True(failed.Count == 0, failed.FirstOrDefault()?.Error);
            var owners = new HashSet<string>();
            foreach (var id in ids)
            {
                var events = await queue.EventsAsync(id, default);
                Assert.Single(events, e => e.State == "running");   // claimed once, never twice
                Assert.Single(events, e => e.State == "succeeded");
                owners.Add(events.Single(e => e.State == "succeeded").WorkerId!);
            }

            Assert.True(owners.Count >= 3, $"work was not spread: {owners.Count} workers ran jobs");
            var counts = await queue.CountByStateAsync(default);
            Assert.Equal(0, counts[JobState.Failed] + counts[JobState.Dead] + counts[JobState.Queued] + counts[JobState.Running]);

            var list = await Tools.CliAsync(null, "workers", "--queue", url);
            Assert.Contains("4 worker(s)", list.Stdout);
            using var registered = JsonDocument.Parse((await Tools.CliAsync(null, "workers", "--queue", url, "--json")).Stdout);
            Assert.Equal(4, registered.RootElement.GetArrayLength());
            Assert.All(registered.RootElement.EnumerateArray(), w => Assert.Contains("encoder:libx264", w.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString())));
            var metrics = await workers[0].MetricsAsync();
            Assert.Equal(4, EdgeTests.MetricValue(metrics, "transcodefarm_workers_alive"));
            Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_claim_duration_seconds_count") > 0);
        }
        finally
        {
            foreach (var w in workers)
            {
                await w.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_killed_worker_s_job_is_finished_by_another_after_its_lease_expires()
    {
        var url = await TestPostgres.CreateDatabaseAsync();
        var data = Directory.CreateTempSubdirectory("tf-farm-").FullName;
        var queue = await TestPostgres.CreateQueueAsync(TimeProvider.System, new QueueOptions(), url);
        var env = SlowProfile.Environment(SlowProfile.CreateFolder());
        await using var first = new FarmProcess(data);
        await first.StartAsync(env, queueUrl: url, workerOnly: true);
        var job = await SubmitCopyAsync(queue, data, await TestMedia.ClipAsync(640, 360, 12, extra: "-metadata comment=farmcrash"), "crash.mp4", "slow-test");
        await WaitAsync(async () => (await queue.GetAsync(job.Id, default))!.Progress is { Stage: PipelineStage.Encode, Fraction: > 0.05 }, TimeSpan.FromSeconds(60), "the encode to start");
        var victim = (await queue.GetAsync(job.Id, default))!.LeaseOwner;
        first.Kill();

        await using var second = new FarmProcess(data);
        await second.StartAsync(env, queueUrl: url, workerOnly: true);
        await WaitAsync(async () => (await queue.GetAsync(job.Id, default))!.State.IsTerminal(), TimeSpan.FromMinutes(2), "the job to finish");
        var done = (await queue.GetAsync(job.Id, default))!;
        Assert.True(done.State == JobState.Succeeded, done.Error);
        Assert.Equal(2, done.Attempts);
        var events = await queue.EventsAsync(job.Id, default);
        Assert.Contains(events, e => e.Message?.Contains($"lease of {victim} expired", StringComparison.Ordinal) == true);
        Assert.NotEqual(victim, events.Single(e => e.State == "succeeded").WorkerId);
        Assert.True(File.Exists(Path.Combine(data, "store", job.Id, "master.m3u8")));
        Assert.Equal(1, EdgeTests.MetricValue(await second.MetricsAsync(), "transcodefarm_leases_reclaimed_total"));
    }

    [Fact]
    public async Task Clustered_maintenance_reaps_a_dead_worker_s_lease_once_across_nodes()
    {
        var url = await TestPostgres.CreateDatabaseAsync();
        var data = Directory.CreateTempSubdirectory("tf-farm-").FullName;
        var queue = await TestPostgres.CreateQueueAsync(TimeProvider.System, new QueueOptions(), url);
        // A job no running worker may claim (so only the reaper can move it), held by a worker that vanished.
        var job = (await queue.SubmitAsync(new JobRequest
        {
            SourcePath = "/nowhere.mp4", SourceName = "orphan.mp4", ContentHash = "orphan", Profile = "test-tiny", Origin = JobOrigin.Submit,
            RequiredCapability = "encoder:none-here",
        }, default)).Job;
        Assert.NotNull(await queue.ClaimAsync("ghost-worker", ["encoder:none-here"], TimeSpan.FromSeconds(1), default));

        var env = new Dictionary<string, string> { ["TRANSCODEFARM__Maintenance__ReapInterval"] = "00:00:01", ["TRANSCODEFARM__Worker__Capabilities"] = "encoder:libx264" };
        await using var a = new FarmProcess(data);
        await using var b = new FarmProcess(data);
        await Task.WhenAll(a.StartAsync(env, queueUrl: url, workerOnly: true), b.StartAsync(env, queueUrl: url, workerOnly: true));
        await WaitAsync(async () => (await queue.GetAsync(job.Id, default))!.State == JobState.Queued, TimeSpan.FromSeconds(30), "the reaper");
        await Task.Delay(3000); // more reaper rounds on both nodes: nothing more may happen to the job

        var events = await queue.EventsAsync(job.Id, default);
        Assert.Single(events, e => e.Message == "lease of ghost-worker expired: reaped by maintenance");
        var reaped = EdgeTests.MetricValue(await a.MetricsAsync(), "transcodefarm_leases_reclaimed_total")
            + EdgeTests.MetricValue(await b.MetricsAsync(), "transcodefarm_leases_reclaimed_total");
        Assert.Equal(1, reaped);

        await using var db = Npgsql.NpgsqlDataSource.Create(QueueLocation.ToConnectionString(url));
        await using var nodes = db.CreateCommand("SELECT COUNT(*) FROM qrtz_scheduler_state");
        Assert.Equal(2L, await nodes.ExecuteScalarAsync()); // both hosts checked in to the Quartz cluster
    }

    [Fact]
    public async Task A_job_needing_a_capability_waits_until_a_capable_worker_joins()
    {
        var url = await TestPostgres.CreateDatabaseAsync();
        var data = Directory.CreateTempSubdirectory("tf-farm-").FullName;
        var queue = await TestPostgres.CreateQueueAsync(TimeProvider.System, new QueueOptions(), url);
        var profiles = SlowProfile.CreateFolder();
        await File.WriteAllTextAsync(Path.Combine(profiles, "x265-test.json"), """
            { "name": "x265-test", "segmentSeconds": 2, "gopSeconds": 1,
              "video": [ { "name": "144p", "height": 144, "bitrateKbps": 200, "codec": "libx265", "preset": "ultrafast" } ], "audio": [] }
            """);
        var env = new Dictionary<string, string> { ["TRANSCODEFARM__Farm__ProfilesDirectory"] = profiles, ["TRANSCODEFARM__Worker__Capabilities"] = "encoder:libx264" };
        await using var cpuOnly = new FarmProcess(data);
        await cpuOnly.StartAsync(env, queueUrl: url, workerOnly: true);
        var job = await SubmitCopyAsync(queue, data, await TestMedia.ClipAsync(160, 120, 2, audio: false), "hevc.mp4", "x265-test");
        var plain = await SubmitCopyAsync(queue, data, await TestMedia.ClipAsync(160, 120, 2, audio: false), "plain.mp4");
        await WaitAsync(async () => (await queue.GetAsync(plain.Id, default))!.State == JobState.Succeeded, TimeSpan.FromSeconds(60), "the plain job");
        Assert.Equal(JobState.Queued, (await queue.GetAsync(job.Id, default))!.State);

        env["TRANSCODEFARM__Worker__Capabilities"] = "encoder:libx264,encoder:libx265";
        await using var hevc = new FarmProcess(data);
        await hevc.StartAsync(env, queueUrl: url, workerOnly: true);
        await WaitAsync(async () => (await queue.GetAsync(job.Id, default))!.State.IsTerminal(), TimeSpan.FromSeconds(60), "the HEVC job");
        var done = (await queue.GetAsync(job.Id, default))!;
        Assert.True(done.State == JobState.Succeeded, done.Error);
        var info = await Segments.StreamInfoAsync(Path.Combine(data, "store", done.Outputs!.ObjectPrefix, "init-0.mp4"));
        Assert.Equal("hevc", info["codec_name"]);
    }
}
