using System.Diagnostics;
using System.Net;
using System.Text.Json;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.IntegrationTests.Infrastructure;
using TranscodeFarm.Queue;
using TranscodeFarm.Storage;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// Issue 13 items 2, 6 and 8 against a real Ceph RGW: `store init` and Store:CreateBucket make the bucket; a worker that cannot
/// write the store says why (start-up log, /healthz) and claims nothing until it can; store errors are one line with the
/// server's code, never "()" and never a stack trace, at the worker and at the edge.
/// </summary>
public sealed class StoreBootstrapTests
{
    private const string WrongSecret = "wrong-secret-not-logged";

    private static readonly Dictionary<string, string> FastHealth = new() { ["TRANSCODEFARM__Health__Interval"] = "00:00:00.300" };

    private static string NewBucketName() => "tf-" + Guid.NewGuid().ToString("N")[..16];

    private static Dictionary<string, string> HostEnvironment(string bucket, string? secret = null) =>
        new(TestS3.FarmEnvironment(bucket, secret: secret).Concat(FastHealth));

    private static async Task<List<string>> KeysAsync(IObjectStore store)
    {
        var keys = new List<string>();
        await foreach (var o in store.ListAsync("", default))
        {
            keys.Add(o.Key);
        }

        return keys;
    }

    /// <summary>Polls /healthz until it answers <paramref name="status"/> with <paramref name="check"/> in <paramref name="checkStatus"/>
    /// after a run; returns that check's reason.</summary>
    private static async Task<string> WaitForCheckAsync(FarmProcess host, HttpStatusCode status, string check, string checkStatus)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(40))
        {
            using var response = await host.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
            last = await response.Content.ReadAsStringAsync();
            using var json = JsonDocument.Parse(last);
            if (response.StatusCode == status && json.RootElement.GetProperty("checks").TryGetProperty(check, out var c)
                && c.GetProperty("status").GetString() == checkStatus && c.GetProperty("checkedAgoSeconds").ValueKind == JsonValueKind.Number)
            {
                return c.GetProperty("reason").GetString()!;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"/healthz never showed {check} {checkStatus} with {(int)status}: {last}\n{host.Output}");
    }

    private static async Task WaitForOutputAsync(FarmProcess host, string text)
    {
        var clock = Stopwatch.StartNew();
        while (!host.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"'{text}' never appeared in the log:\n{host.Output}");
            await Task.Delay(200);
        }
    }

    private static async Task<JobRecord> WaitForEndAsync(IJobQueue queue, string jobId, string output)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (await queue.GetAsync(jobId, default) is { } job && job.State.IsTerminal())
            {
                return job;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"job {jobId} did not end:\n{output}");
    }

    /// <summary>Asserts that a job stays queued, unclaimed, for a while (a worker is up and idle, yet does not take it).</summary>
    private static async Task AssertStaysQueuedAsync(IJobQueue queue, string jobId, TimeSpan period)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < period)
        {
            var job = await queue.GetAsync(jobId, default);
            Assert.True(job is { State: JobState.Queued, Attempts: 0 }, $"job {jobId} was claimed: {job?.State} attempt {job?.Attempts}");
            await Task.Delay(500);
        }
    }

    private static void AssertOneLineErrors(string output, string what)
    {
        Assert.DoesNotContain("An unhandled exception", output);
        Assert.False(output.Contains("   at ", StringComparison.Ordinal), $"a stack trace in the {what}'s log:\n{output}");
        Assert.DoesNotContain(WrongSecret, output);
    }

    [Fact]
    public async Task Store_init_creates_the_bucket_proves_write_read_delete_and_fails_with_the_servers_reason()
    {
        var help = await Tools.CliAsync(null, "store", "init", "--help");
        Assert.True(help.ExitCode == 0, help.Stderr);
        Assert.Contains("bucket", help.Stdout);

        var bucket = NewBucketName();
        var data = Directory.CreateTempSubdirectory("tf-store-init-").FullName;
        var first = await Tools.CliAsync(TestS3.FarmEnvironment(bucket), "store", "init", "--data-dir", data);
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        Assert.Contains($"store s3://{bucket}/vod/", first.Stdout);
        Assert.Matches($@"bucket {bucket}\s+ok: created", first.Stdout);
        Assert.Matches(@"write probe\s+ok: _farm/init/\S+ \(32 bytes\)", first.Stdout);
        Assert.Matches(@"read it back\s+ok: same bytes", first.Stdout);
        Assert.Matches(@"delete it\s+ok: deleted", first.Stdout);
        Assert.Contains($"ready: workers can publish to s3://{bucket}/vod/", first.Stdout);

        var again = await Tools.CliAsync(TestS3.FarmEnvironment(bucket), "store", "init", "--data-dir", data);
        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
        Assert.Matches($@"bucket {bucket}\s+ok: exists", again.Stdout);
        using var store = new S3ObjectStore(TestS3.Options(bucket));
        Assert.Empty(await KeysAsync(store)); // the probes are gone

        var denied = await Tools.CliAsync(TestS3.FarmEnvironment(bucket, secret: WrongSecret), "store", "init", "--data-dir", data);
        var said = denied.Stdout + denied.Stderr;
        Assert.True(denied.ExitCode == 1, said);
        Assert.Matches($@"bucket {bucket}\s+FAILED: .*SignatureDoesNotMatch \(HTTP 403, request \S+\).*check Store:SecretKey", said);
        Assert.Contains("error: the store is not ready: bucket failed", denied.Stderr);
        Assert.DoesNotContain("()", said);
        AssertOneLineErrors(said, "CLI");
    }

    [Fact]
    public async Task A_worker_with_CreateBucket_creates_the_missing_bucket_at_first_start_and_publishes()
    {
        var bucket = NewBucketName();
        await using var farm = new FarmProcess();
        var env = HostEnvironment(bucket);
        env["TRANSCODEFARM__Store__CreateBucket"] = "true";
        await farm.StartAsync(env); // healthy: store-write passed, so the bucket is there
        Assert.Contains("created its bucket (Store:CreateBucket=true)", farm.Output);
        farm.Drop(await TestMedia.ClipAsync(160, 120, 2), "first start.mp4");
        var job = await farm.WaitForJobAsync("first start.mp4");
        Assert.True(job.State == JobState.Succeeded, job.Error + farm.Output);
        using var store = new S3ObjectStore(TestS3.Options(bucket, "vod/"));
        Assert.Contains($"{job.Id}/master.m3u8", await KeysAsync(store));
        Assert.Equal(HttpStatusCode.OK, (await farm.Http.GetAsync(new Uri($"/vod/{job.Id}/master.m3u8", UriKind.Relative))).StatusCode);
        Assert.Contains("transcodefarm_worker_claiming 1", await farm.MetricsAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await farm.Http.GetAsync(new Uri("/vod/_farm/healthz/x", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Without_its_bucket_a_worker_says_why_claims_nothing_and_runs_the_job_once_store_init_made_it()
    {
        var bucket = NewBucketName();
        var url = await TestPostgres.CreateDatabaseAsync();
        var queue = await TestPostgres.CreateQueueAsync(TimeProvider.System, new QueueOptions(), url);
        await using var worker = new FarmProcess();
        await worker.StartAsync(HostEnvironment(bucket), queueUrl: url, workerOnly: true, requireHealthy: false);

        var reason = await WaitForCheckAsync(worker, HttpStatusCode.ServiceUnavailable, "store-write", "unhealthy");
        Assert.Contains("NoSuchBucket (HTTP 404", reason);
        Assert.Contains($"the bucket '{bucket}' does not exist: run `transcodefarm store init` or set Store:CreateBucket=true", reason);
        Assert.DoesNotContain("()", reason);
        await WaitForOutputAsync(worker, "claims no jobs until the store can be written");
        Assert.Contains("Health check store-write: unhealthy", worker.Output); // the start-up line that names the bucket and the fix

        var folder = Path.Combine(worker.DataDirectory, "sources", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.Copy(await TestMedia.ClipAsync(160, 120, 2), Path.Combine(folder, "source.mp4"));
        var job = (await queue.SubmitAsync(new JobRequest
        {
            SourcePath = Path.Combine(folder, "source.mp4"), SourceName = "waits.mp4", ContentHash = Guid.NewGuid().ToString("N"),
            Profile = "test-tiny", Origin = JobOrigin.Submit,
        }, default)).Job;
        await AssertStaysQueuedAsync(queue, job.Id, TimeSpan.FromSeconds(6));
        Assert.Contains("transcodefarm_worker_claiming 0", await worker.MetricsAsync());

        var init = await Tools.CliAsync(TestS3.FarmEnvironment(bucket), "store", "init", "--data-dir", Directory.CreateTempSubdirectory("tf-cli-").FullName);
        Assert.True(init.ExitCode == 0, init.Stdout + init.Stderr);
        var done = await WaitForEndAsync(queue, job.Id, worker.Output);
        Assert.True(done.State == JobState.Succeeded, done.Error + worker.Output);
        Assert.Contains("claims jobs again: store-write is healthy", worker.Output);
        Assert.Contains("transcodefarm_worker_claiming 1", await worker.MetricsAsync());
        Assert.DoesNotContain("\"Category\":\"Quartz", worker.Output); // Quartz's start-up chatter is below warning
        AssertOneLineErrors(worker.Output, "worker");
    }

    [Fact]
    public async Task With_wrong_credentials_a_worker_claims_nothing_and_the_edge_answers_502_with_a_reason_and_no_stack_trace()
    {
        using var bucket = await TestS3.NewBucketAsync();
        var name = bucket.Describe.Split('/')[2];
        var data = Directory.CreateTempSubdirectory("tf-wrong-keys-").FullName;
        var clip = await TestMedia.ClipAsync(160, 120, 2);
        JobRecord published;
        await using (var good = new FarmProcess(data))
        {
            await good.StartAsync(HostEnvironment(name));
            good.Drop(clip, "published.mp4");
            published = await good.WaitForJobAsync("published.mp4");
            Assert.True(published.State == JobState.Succeeded, published.Error + good.Output);
            Assert.Equal(0, await good.TerminateAsync(TimeSpan.FromSeconds(40)));
        }

        await using var bad = new FarmProcess(data);
        await bad.StartAsync(HostEnvironment(name, secret: WrongSecret), requireHealthy: false);
        var reason = await WaitForCheckAsync(bad, HttpStatusCode.ServiceUnavailable, "store-write", "unhealthy");
        Assert.Matches(@"SignatureDoesNotMatch \(HTTP 403, request \S+\); the store refused the request's signature: check Store:SecretKey", reason);
        Assert.DoesNotContain("()", reason);

        var waiting = await bad.Queue.SubmitAsync(new JobRequest
        {
            SourcePath = clip, SourceName = "waits.mp4", ContentHash = Guid.NewGuid().ToString("N"), Profile = "test-tiny", Origin = JobOrigin.Submit,
        }, default);
        await WaitForOutputAsync(bad, "claims no jobs until the store can be written");
        await AssertStaysQueuedAsync(bad.Queue, waiting.Job.Id, TimeSpan.FromSeconds(5));

        var asset = published.Id;
        var generation = $"g{published.Outputs!.Generation}";
        foreach (var path in new[] { $"/vod/{asset}/master.m3u8", $"/vod/{asset}/manifest.mpd", $"/vod/{asset}/{generation}/init-0.mp4", $"/vod/{asset}/{generation}/seg-0-00001.m4s" })
        {
            using var get = await bad.Http.GetAsync(new Uri(path, UriKind.Relative));
            var body = await get.Content.ReadAsStringAsync();
            Assert.True(get.StatusCode == HttpStatusCode.BadGateway, $"{path}: {(int)get.StatusCode} {body}");
            Assert.Equal("the origin refused this edge (its store credentials or permissions are wrong)\n", body);
            using var head = await bad.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(path, UriKind.Relative)));
            Assert.Equal(HttpStatusCode.BadGateway, head.StatusCode);
        }

        // Key delivery, licenses and matching do not read the store: refused for want of a token, never a 500.
        using (var key = await bad.Http.GetAsync(new Uri($"/keys/{asset}/{Guid.NewGuid():N}", UriKind.Relative)))
        {
            Assert.True((int)key.StatusCode is >= 400 and < 500, $"/keys: {(int)key.StatusCode}");
        }

        using (var license = await bad.Http.PostAsync(new Uri($"/license/clearkey/{asset}", UriKind.Relative), new StringContent("{\"kids\":[]}")))
        {
            Assert.True((int)license.StatusCode is >= 400 and < 500, $"/license: {(int)license.StatusCode}");
        }

        using (var match = await bad.Http.PostAsync(new Uri("/api/match", UriKind.Relative), new ByteArrayContent(await File.ReadAllBytesAsync(clip))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, match.StatusCode);
        }

        // One warning per failed fetch (the GET and the HEAD above: two), with the store's reason; none per waiting request.
        var fetchFailures = bad.Output.Split('\n').Where(l => l.Contains($"Origin fetch of {asset}/{generation}/master.m3u8 failed (Refused)", StringComparison.Ordinal)).ToList();
        Assert.True(fetchFailures.Count == 2, bad.Output);
        Assert.Contains("SignatureDoesNotMatch (HTTP 403", fetchFailures[0]);
        Assert.DoesNotContain("Could not serve", bad.Output);
        AssertOneLineErrors(bad.Output, "host");
    }
}
