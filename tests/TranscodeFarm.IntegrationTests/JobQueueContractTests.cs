using TranscodeFarm.Core.Jobs;
using TranscodeFarm.IntegrationTests.Infrastructure;
using TranscodeFarm.Queue;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// The semantics every <see cref="IJobQueue"/> must keep. SQLite runs them now; the PostgreSQL queue will
/// derive from this class and run the same tests.
/// </summary>
public abstract class JobQueueContractTests
{
    protected static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    protected ManualTime Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    protected QueueOptions Options { get; } = new() { RetryBaseDelay = TimeSpan.FromSeconds(10), RetryMaxDelay = TimeSpan.FromMinutes(5) };

    protected abstract Task<IJobQueue> CreateQueueAsync(TimeProvider time);

    private static JobRequest Request(string hash, int priority = 0, int maxAttempts = 3, bool force = false, string? capability = null) => new()
    {
        SourcePath = $"/src/{hash}.mp4",
        SourceName = $"{hash}.mp4",
        ContentHash = hash,
        Profile = "p",
        Origin = JobOrigin.Submit,
        Priority = priority,
        MaxAttempts = maxAttempts,
        Force = force,
        RequiredCapability = capability,
    };

    [Fact]
    public async Task Submission_is_idempotent_on_content_and_profile_unless_forced()
    {
        var q = await CreateQueueAsync(Time);
        var a = await q.SubmitAsync(Request("h1"), default);
        var b = await q.SubmitAsync(Request("h1"), default);
        var c = await q.SubmitAsync(Request("h1", force: true), default);
        Assert.True(a.Created);
        Assert.False(b.Created);
        Assert.Equal(a.Job.Id, b.Job.Id);
        Assert.True(c.Created);
        Assert.NotEqual(a.Job.Id, c.Job.Id);
        Assert.Equal(a.Job.Id, (await q.FindByIdempotencyKeyAsync("h1:p", default))!.Id);
    }

    [Fact]
    public async Task A_failed_job_retried_by_its_content_arriving_another_way_takes_its_source_from_there()
    {
        var q = await CreateQueueAsync(Time);
        var job = (await q.SubmitAsync(Request("again"), default)).Job;
        await q.ClaimAsync("w", Lease, default);
        Assert.Equal(JobState.Failed, await q.FailAsync(job.Id, "w", "bad", retryable: false, default));

        await q.UpdateSourceAsync(job.Id, "s3://bucket/processing/again.mp4", JobOrigin.S3Prefix, default);
        Assert.True(await q.RetryAsync(job.Id, default));
        var retried = (await q.ClaimAsync("w", [JobCapabilities.IngestS3], Lease, default))!;
        Assert.Equal((job.Id, "s3://bucket/processing/again.mp4", JobOrigin.S3Prefix), (retried.Id, retried.SourcePath, retried.Origin));
    }

    [Fact]
    public async Task A_shared_source_is_held_by_every_other_job_that_may_still_run()
    {
        var q = await CreateQueueAsync(Time);
        var first = (await q.SubmitAsync(Request("shared"), default)).Job;
        Assert.False(await q.IsSourceHeldAsync(first.SourcePath, first.Id, default)); // only by itself
        var forced = (await q.SubmitAsync(Request("shared", force: true), default)).Job;
        Assert.True(await q.IsSourceHeldAsync(first.SourcePath, first.Id, default)); // queued
        await q.ClaimAsync("w", Lease, default);
        await q.ClaimAsync("w", Lease, default);
        Assert.Equal(JobState.Failed, await q.FailAsync(forced.Id, "w", "bad", retryable: false, default));
        Assert.True(await q.IsSourceHeldAsync(first.SourcePath, first.Id, default)); // failed: `jobs retry` may run it again
        Assert.True(await q.RetryAsync(forced.Id, default));
        Assert.True(await q.CancelAsync(forced.Id, default));
        Assert.False(await q.IsSourceHeldAsync(first.SourcePath, first.Id, default)); // cancelled
        Assert.True(await q.IsSourceHeldAsync(first.SourcePath, forced.Id, default)); // the first is still running
    }

    [Fact]
    public async Task An_S3_ingest_job_needs_a_worker_that_can_fetch_it_and_its_encoder_too()
    {
        var q = await CreateQueueAsync(Time);
        var plain = (await q.SubmitAsync(Request("s3-plain") with { Origin = JobOrigin.S3Prefix, SourcePath = "s3://b/in/.processing/t/a.mp4" }, default)).Job;
        var hevc = (await q.SubmitAsync(Request("s3-hevc", capability: "encoder:libx265") with { Origin = JobOrigin.S3Prefix, SourcePath = "s3://b/in/.processing/u/b.mp4" }, default)).Job;

        Assert.Null(await q.ClaimAsync("w", Lease, default));
        Assert.Null(await q.ClaimAsync("w", ["encoder:libx265"], Lease, default));
        Assert.Equal(plain.Id, (await q.ClaimAsync("w", [JobCapabilities.IngestS3], Lease, default))!.Id);
        Assert.Null(await q.ClaimAsync("w", [JobCapabilities.IngestS3], Lease, default));
        Assert.Equal(hevc.Id, (await q.ClaimAsync("w", [JobCapabilities.IngestS3, "encoder:libx265"], Lease, default))!.Id);
    }

    [Fact]
    public async Task Claims_highest_priority_first_then_oldest()
    {
        var q = await CreateQueueAsync(Time);
        var low = await q.SubmitAsync(Request("low"), default);
        Time.Advance(TimeSpan.FromSeconds(1));
        var high = await q.SubmitAsync(Request("high", priority: 5), default);
        Time.Advance(TimeSpan.FromSeconds(1));
        var low2 = await q.SubmitAsync(Request("low2"), default);
        Assert.Equal(high.Job.Id, (await q.ClaimAsync("w", Lease, default))!.Id);
        Assert.Equal(low.Job.Id, (await q.ClaimAsync("w", Lease, default))!.Id);
        Assert.Equal(low2.Job.Id, (await q.ClaimAsync("w", Lease, default))!.Id);
        Assert.Null(await q.ClaimAsync("w", Lease, default));
    }

    [Fact]
    public async Task An_expired_lease_is_reclaimed_and_the_old_worker_loses_the_job()
    {
        var q = await CreateQueueAsync(Time);
        var job = (await q.SubmitAsync(Request("h"), default)).Job;
        Assert.Equal(job.Id, (await q.ClaimAsync("dead-worker", Lease, default))!.Id);
        Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Null(await q.ClaimAsync("other", Lease, default)); // lease still alive
        Time.Advance(TimeSpan.FromSeconds(11));
        var reclaimed = await q.ClaimAsync("other", Lease, default);
        Assert.Equal((job.Id, 2, "other"), (reclaimed!.Id, reclaimed.Attempts, reclaimed.LeaseOwner));
        Assert.Equal(LeaseStatus.Lost, await q.RenewLeaseAsync(job.Id, "dead-worker", Lease, default));
        Assert.False(await q.CompleteAsync(job.Id, "dead-worker", Outputs(job.Id), default));
        Assert.True(await q.CompleteAsync(job.Id, "other", Outputs(job.Id), default));
        Assert.Equal(JobState.Succeeded, (await q.GetAsync(job.Id, default))!.State);
    }

    [Fact]
    public async Task Renewal_keeps_the_lease_alive()
    {
        var q = await CreateQueueAsync(Time);
        var job = (await q.SubmitAsync(Request("h"), default)).Job;
        await q.ClaimAsync("w", Lease, default);
        for (var i = 0; i < 5; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(20));
            Assert.Equal(LeaseStatus.Renewed, await q.RenewLeaseAsync(job.Id, "w", Lease, default));
        }

        Assert.Null(await q.ClaimAsync("other", Lease, default));
    }

    [Fact]
    public async Task Retryable_failures_back_off_exponentially_then_dead_letter_with_the_last_error()
    {
        var q = await CreateQueueAsync(Time);
        var job = (await q.SubmitAsync(Request("h", maxAttempts: 3), default)).Job;
        await q.ClaimAsync("w", Lease, default);
        Assert.Equal(JobState.Queued, await q.FailAsync(job.Id, "w", "disk full", retryable: true, default));
        Assert.Null(await q.ClaimAsync("w", Lease, default)); // backing off 10 s
        Time.Advance(TimeSpan.FromSeconds(10));
        await q.ClaimAsync("w", Lease, default);
        Assert.Equal(JobState.Queued, await q.FailAsync(job.Id, "w", "disk full", retryable: true, default));
        Time.Advance(TimeSpan.FromSeconds(19));
        Assert.Null(await q.ClaimAsync("w", Lease, default)); // second backoff is 20 s
        Time.Advance(TimeSpan.FromSeconds(1));
        await q.ClaimAsync("w", Lease, default);
        Assert.Equal(JobState.Dead, await q.FailAsync(job.Id, "w", "disk still full", retryable: true, default));
        var dead = (await q.GetAsync(job.Id, default))!;
        Assert.Equal((JobState.Dead, 3, "disk still full"), (dead.State, dead.Attempts, dead.Error));
    }

    [Fact]
    public async Task Bad_input_fails_at_once_and_retry_requeues()
    {
        var q = await CreateQueueAsync(Time);
        var job = (await q.SubmitAsync(Request("h"), default)).Job;
        await q.ClaimAsync("w", Lease, default);
        Assert.Equal(JobState.Failed, await q.FailAsync(job.Id, "w", "not media", retryable: false, default));
        Assert.Null(await q.ClaimAsync("w", Lease, default));
        Assert.True(await q.RetryAsync(job.Id, default));
        var again = await q.ClaimAsync("w", Lease, default);
        Assert.Equal((job.Id, 1), (again!.Id, again.Attempts));
    }

    [Fact]
    public async Task Cancel_stops_queued_jobs_at_once_and_asks_running_ones()
    {
        var q = await CreateQueueAsync(Time);
        var queued = (await q.SubmitAsync(Request("a"), default)).Job;
        Assert.True(await q.CancelAsync(queued.Id, default));
        Assert.Equal(JobState.Cancelled, (await q.GetAsync(queued.Id, default))!.State);

        var running = (await q.SubmitAsync(Request("b"), default)).Job;
        await q.ClaimAsync("w", Lease, default);
        Assert.True(await q.CancelAsync(running.Id, default));
        Assert.Equal(LeaseStatus.CancelRequested, await q.RenewLeaseAsync(running.Id, "w", Lease, default));
        Assert.Equal(JobState.Cancelled, await q.FailAsync(running.Id, "w", "cancelled by request", retryable: false, default));
        Assert.False(await q.CancelAsync(running.Id, default));
    }

    [Fact]
    public async Task Release_requeues_without_counting_an_attempt_and_history_is_kept()
    {
        var q = await CreateQueueAsync(Time);
        var job = (await q.SubmitAsync(Request("h"), default)).Job;
        await q.ClaimAsync("w", Lease, default);
        Assert.True(await q.ReleaseAsync(job.Id, "w", default));
        var released = (await q.GetAsync(job.Id, default))!;
        Assert.Equal((JobState.Queued, 0, null), (released.State, released.Attempts, released.LeaseOwner));
        var states = (await q.EventsAsync(job.Id, default)).Select(e => e.State);
        Assert.Equal(["queued", "running", "queued"], states);
        var counts = await q.CountByStateAsync(default);
        Assert.Equal(1, counts[JobState.Queued]);
    }

    [Fact]
    public async Task A_worker_that_keeps_dying_dead_letters_the_job()
    {
        var q = await CreateQueueAsync(Time);
        var job = (await q.SubmitAsync(Request("h", maxAttempts: 2), default)).Job;
        var counted = QueueMetrics.DeadLettered.Value;
        await q.ClaimAsync("w1", Lease, default);
        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        await q.ClaimAsync("w2", Lease, default);
        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Null(await q.ClaimAsync("w3", Lease, default));
        var dead = (await q.GetAsync(job.Id, default))!;
        Assert.Equal(JobState.Dead, dead.State);
        Assert.Contains("stopped responding", dead.Error);
        // The dead-letter alert sees it too, though no worker failed it (other tests may count at the same time).
        Assert.True(QueueMetrics.DeadLettered.Value >= counted + 1, $"{QueueMetrics.DeadLettered.Value} vs {counted}");
    }

    [Fact]
    public async Task A_cancel_requested_before_the_worker_died_wins_over_reclaiming()
    {
        var q = await CreateQueueAsync(Time);
        var job = (await q.SubmitAsync(Request("c"), default)).Job;
        await q.ClaimAsync("dying", Lease, default);
        Assert.True(await q.CancelAsync(job.Id, default));
        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Null(await q.ClaimAsync("other", Lease, default));
        Assert.Equal(JobState.Cancelled, (await q.GetAsync(job.Id, default))!.State);
    }

    [Fact]
    public async Task Concurrent_claimers_never_take_the_same_job()
    {
        var q = await CreateQueueAsync(TimeProvider.System);
        for (var i = 0; i < 60; i++)
        {
            await q.SubmitAsync(Request($"c{i}"), default);
        }

        var claimed = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            while (await q.ClaimAsync($"w{w}", Lease, default) is { } job)
            {
                claimed.Add(job.Id);
                Assert.True(await q.CompleteAsync(job.Id, $"w{w}", Outputs(job.Id), default));
            }
        })));
        Assert.Equal(60, claimed.Count);
        Assert.Equal(60, claimed.Distinct().Count());
    }

    [Fact]
    public async Task Jobs_that_need_a_capability_wait_for_a_worker_that_has_it()
    {
        var q = await CreateQueueAsync(Time);
        var gpu = (await q.SubmitAsync(Request("gpu", priority: 10, capability: "encoder:h264_nvenc"), default)).Job;
        var plain = (await q.SubmitAsync(Request("plain"), default)).Job;
        Assert.Equal(plain.Id, (await q.ClaimAsync("cpu", ["encoder:libx264"], Lease, default))!.Id);
        Assert.Null(await q.ClaimAsync("cpu", ["encoder:libx264"], Lease, default));
        Assert.Equal(JobState.Queued, (await q.GetAsync(gpu.Id, default))!.State);
        var claimed = await q.ClaimAsync("gpu-box", ["encoder:libx264", "encoder:h264_nvenc", "gpu"], Lease, default);
        Assert.Equal((gpu.Id, "encoder:h264_nvenc"), (claimed!.Id, claimed.RequiredCapability));
    }

    [Fact]
    public async Task A_poison_job_is_dead_lettered_without_blocking_others()
    {
        var q = await CreateQueueAsync(Time);
        var poison = (await q.SubmitAsync(Request("poison", priority: 100, maxAttempts: 2), default)).Job;
        var good = (await q.SubmitAsync(Request("good"), default)).Job;
        Assert.Equal(poison.Id, (await q.ClaimAsync("w", Lease, default))!.Id);
        await q.FailAsync(poison.Id, "w", "segfault", retryable: true, default);
        Assert.Equal(good.Id, (await q.ClaimAsync("w", Lease, default))!.Id); // the poison job backs off; others go on
        Assert.True(await q.CompleteAsync(good.Id, "w", Outputs(good.Id), default));
        Time.Advance(TimeSpan.FromMinutes(1));
        await q.ClaimAsync("w", Lease, default);
        Assert.Equal(JobState.Dead, await q.FailAsync(poison.Id, "w", "segfault again", retryable: true, default));
        Assert.Equal("segfault again", (await q.GetAsync(poison.Id, default))!.Error);
    }

    [Fact]
    public async Task Workers_register_heartbeat_and_leave()
    {
        var registry = (IWorkerRegistry)await CreateQueueAsync(Time);
        await registry.RegisterWorkerAsync(new WorkerInfo("w1", "host-a", ["encoder:libx264", "gpu"], 2, "1.0", Time.GetUtcNow(), Time.GetUtcNow()), default);
        Time.Advance(TimeSpan.FromSeconds(5));
        await registry.HeartbeatWorkerAsync("w1", default);
        var w = Assert.Single(await registry.ListWorkersAsync(default));
        Assert.Equal(("host-a", 2, Time.GetUtcNow()), (w.Host, w.Slots, w.HeartbeatAt));
        Assert.Equal(["encoder:libx264", "gpu"], w.Capabilities);
        await registry.UnregisterWorkerAsync("w1", default);
        Assert.Empty(await registry.ListWorkersAsync(default));
    }

    private static JobOutputs Outputs(string id) => new(id, $"{id}/master.m3u8", $"{id}/manifest.mpd", [], 1, 1, 1);
}

public sealed class SqliteJobQueueTests : JobQueueContractTests
{
    protected override Task<IJobQueue> CreateQueueAsync(TimeProvider time) =>
        Task.FromResult<IJobQueue>(new SqliteJobQueue(Path.Combine(Directory.CreateTempSubdirectory("tf-queue-").FullName, "queue.db"), QueueClock.From(time), Options));

    [Fact]
    public async Task Jobs_survive_reopening_the_database()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("tf-queue-").FullName, "queue.db");
        var id = (await new SqliteJobQueue(path, QueueClock.From(Time), Options).SubmitAsync(new JobRequest
        {
            SourcePath = "/x", SourceName = "x", ContentHash = "h", Profile = "p", Origin = JobOrigin.DropFolder,
        }, default)).Job.Id;
        var reopened = new SqliteJobQueue(path, QueueClock.From(Time), Options);
        Assert.Equal(JobOrigin.DropFolder, (await reopened.GetAsync(id, default))!.Origin);
    }
}
