using Amazon.S3.Model;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.IntegrationTests.Infrastructure;
using TranscodeFarm.Queue;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// `submit` from a machine that shares nothing with the workers but the queue and the store (decision 018): two workers
/// with their own data directories, a third for the CLI, PostgreSQL and Ceph RGW.
/// </summary>
public sealed class SubmittedSourceTests
{
    [Fact]
    public async Task Submit_from_any_machine_runs_leaves_nothing_behind_and_a_failed_job_keeps_its_source_for_retry()
    {
        var url = await TestPostgres.CreateDatabaseAsync();
        using var bucket = await TestS3.NewBucketAsync();
        var name = bucket.Describe.Split('/')[2];
        var store = TestS3.FarmEnvironment(name);
        await using var a = new FarmProcess();
        await using var b = new FarmProcess();
        await Task.WhenAll(a.StartAsync(store, queueUrl: url, workerOnly: true), b.StartAsync(store, queueUrl: url, workerOnly: true));
        var queue = await TestPostgres.CreateQueueAsync(TimeProvider.System, new QueueOptions(), url);
        var cliData = Directory.CreateTempSubdirectory("tf-submitter-").FullName;
        var cli = new Dictionary<string, string>(FarmProcess.TestEnvironment(cliData).Concat(store));

        // A good clip: uploaded from the user's file, run by whichever worker, published, and then its source is gone.
        var clip = await TestMedia.ClipAsync(96, 64, 1, audio: false, extra: "-metadata comment=submitanywhere");
        var r = await Tools.CliAsync(cli, "submit", clip, "--queue", url, "--wait");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr + a.Output + b.Output);
        Assert.Contains("uploaded ", r.Stdout);
        var job = (await queue.GetAsync(JobIdIn(r.Stdout), default))!;
        Assert.Equal(JobState.Succeeded, job.State);
        Assert.True(SubmittedSource.TryGetKey(job.SourcePath, out var key), job.SourcePath);
        Assert.NotEmpty(await KeysAsync(bucket, name, $"vod/{job.Outputs!.ObjectPrefix}/"));
        await WaitAsync(async () => (await KeysAsync(bucket, name, "vod/" + SubmittedSource.Prefix)).Count == 0, "the worker to delete the source");
        foreach (var data in new[] { a.DataDirectory, b.DataDirectory, cliData })
        {
            var sources = Path.Combine(data, "sources");
            Assert.False(Directory.Exists(sources) && Directory.EnumerateFileSystemEntries(sources, "*", SearchOption.AllDirectories).Any(), $"{sources} is not empty");
        }

        Assert.Contains($"Deleted the submitted source {key}", a.Output + b.Output);

        // Not media: the job fails at probe, and its source stays for `jobs retry`.
        var text = Path.Combine(cliData, "not a video.mp4");
        await File.WriteAllTextAsync(text, "hello, this is no video " + Guid.NewGuid());
        r = await Tools.CliAsync(cli, "submit", text, "--queue", url, "--wait");
        Assert.Equal(1, r.ExitCode);
        var failed = (await queue.GetAsync(JobIdIn(r.Stdout), default))!;
        Assert.Equal(JobState.Failed, failed.State);
        Assert.StartsWith("probe", failed.Error, StringComparison.Ordinal);
        Assert.True(SubmittedSource.TryGetKey(failed.SourcePath, out var failedKey));
        await Task.Delay(1000); // the worker settles the job right after the state --wait saw: give it time to (not) delete
        var kept = await bucket.Client.GetObjectMetadataAsync(name, "vod/" + failedKey);

        // The same file again (a new job by --force): the object is there, nothing is sent again.
        r = await Tools.CliAsync(cli, "submit", text, "--queue", url, "--force");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("not uploaded again", r.Stdout);
        Assert.DoesNotContain("uploaded " + Path.GetFileName(text), r.Stdout);
        var forced = JobIdIn(r.Stdout);
        Assert.Equal(kept.LastModified, (await bucket.Client.GetObjectMetadataAsync(name, "vod/" + failedKey)).LastModified);
        await WaitAsync(async () => (await queue.GetAsync(forced, default))!.State.IsTerminal(), "the forced job to end");

        // `jobs retry` runs the failed job again from the kept object: a worker claims it, fetches it and probes it again.
        r = await Tools.CliAsync(cli, "jobs", "retry", failed.Id, "--queue", url);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        await WaitAsync(async () => (await queue.GetAsync(failed.Id, default))!.State == JobState.Failed
            && (await queue.EventsAsync(failed.Id, default)).Any(e => e.Message == "retried by an operator"), "the retried job to run");
        var retried = (await queue.GetAsync(failed.Id, default))!;
        Assert.StartsWith("probe", retried.Error, StringComparison.Ordinal); // not "fetch: the submitted source is gone"
        var events = await queue.EventsAsync(failed.Id, default);
        Assert.Equal(2, events.Count(e => e.Message == "claimed"));
        Assert.NotNull(await bucket.Client.GetObjectMetadataAsync(name, "vod/" + failedKey));
    }

    [Fact]
    public async Task A_source_shared_by_two_jobs_stays_until_the_last_ends_and_a_cancelled_job_cannot_be_retried_without_it()
    {
        var url = await TestPostgres.CreateDatabaseAsync();
        using var bucket = await TestS3.NewBucketAsync();
        var name = bucket.Describe.Split('/')[2];
        var workers = TestS3.FarmEnvironment(name);
        workers["TRANSCODEFARM__Worker__Capabilities"] = "encoder:libx264"; // no worker can run the HEVC profile
        await using var a = new FarmProcess();
        await a.StartAsync(workers, queueUrl: url, workerOnly: true);
        var queue = await TestPostgres.CreateQueueAsync(TimeProvider.System, new QueueOptions(), url);
        var cliData = Directory.CreateTempSubdirectory("tf-submitter-").FullName;
        var cli = new Dictionary<string, string>(FarmProcess.TestEnvironment(cliData).Concat(TestS3.FarmEnvironment(name)))
        {
            ["TRANSCODEFARM__Farm__ProfilesDirectory"] = SlowProfile.FolderWith("x265-test", """
                { "name": "x265-test", "segmentSeconds": 2, "gopSeconds": 1,
                  "video": [ { "name": "144p", "height": 144, "bitrateKbps": 200, "codec": "libx265", "preset": "ultrafast" } ], "audio": [] }
                """),
        };
        var clip = await TestMedia.ClipAsync(96, 64, 1, audio: false, extra: "-metadata comment=sharedsource");

        var r = await Tools.CliAsync(cli, "submit", clip, "--profile", "x265-test", "--queue", url);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var waiting = JobIdIn(r.Stdout);
        r = await Tools.CliAsync(cli, "submit", clip, "--queue", url, "--wait");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr + a.Output);
        Assert.Contains("not uploaded again", r.Stdout);
        var done = (await queue.GetAsync(JobIdIn(r.Stdout), default))!;
        Assert.True(SubmittedSource.TryGetKey(done.SourcePath, out var key));
        await WaitAsync(() => Task.FromResult(a.Output.Contains($"Kept the submitted source {key}", StringComparison.Ordinal)), "the worker to settle the job");
        Assert.NotNull(await bucket.Client.GetObjectMetadataAsync(name, "vod/" + key)); // the queued job still needs it

        // Cancelled before any worker took it: `jobs cancel` settles it, and the last job gone takes the object with it.
        r = await Tools.CliAsync(cli, "jobs", "cancel", waiting, "--queue", url);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Empty(await KeysAsync(bucket, name, "vod/" + SubmittedSource.Prefix));
        r = await Tools.CliAsync(cli, "jobs", "retry", waiting, "--queue", url);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no longer in the store", r.Stderr);
        Assert.Equal(JobState.Cancelled, (await queue.GetAsync(waiting, default))!.State);
    }

    [Fact]
    public async Task A_failed_submitted_job_retried_through_the_drop_folder_lets_its_object_go()
    {
        var url = await TestPostgres.CreateDatabaseAsync();
        using var bucket = await TestS3.NewBucketAsync();
        var name = bucket.Describe.Split('/')[2];
        await using var farm = new FarmProcess();
        await farm.StartAsync(TestS3.FarmEnvironment(name), queueUrl: url); // `run`: a worker that also watches its drop folder
        var queue = await TestPostgres.CreateQueueAsync(TimeProvider.System, new QueueOptions(), url);
        var cliData = Directory.CreateTempSubdirectory("tf-submitter-").FullName;
        var cli = new Dictionary<string, string>(FarmProcess.TestEnvironment(cliData).Concat(TestS3.FarmEnvironment(name)));
        var text = Path.Combine(cliData, "notes.mp4");
        await File.WriteAllTextAsync(text, "still no video " + Guid.NewGuid());
        var r = await Tools.CliAsync(cli, "submit", text, "--queue", url, "--wait");
        Assert.Equal(1, r.ExitCode);
        var id = JobIdIn(r.Stdout);
        Assert.NotEmpty(await KeysAsync(bucket, name, "vod/" + SubmittedSource.Prefix));

        // The same bytes dropped: the job takes its source from the drop folder, and the object no job names goes.
        farm.Drop(text, "notes.mp4");
        await WaitAsync(async () => (await queue.GetAsync(id, default))!.Origin == JobOrigin.DropFolder
            && (await queue.GetAsync(id, default))!.State == JobState.Failed
            && (await KeysAsync(bucket, name, "vod/" + SubmittedSource.Prefix)).Count == 0, "the drop to retry the job and forget its object");
    }

    private static string JobIdIn(string stdout) =>
        stdout.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("submitted job ", StringComparison.Ordinal))["submitted job ".Length..];

    private static async Task<List<string>> KeysAsync(Storage.S3ObjectStore bucket, string name, string prefix) =>
        [.. ((await bucket.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = name, Prefix = prefix })).S3Objects ?? []).Select(o => o.Key)];

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }
}
