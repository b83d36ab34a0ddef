using System.Diagnostics;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Database;
using TranscodeFarm.IntegrationTests.Infrastructure;
using TranscodeFarm.Queue;

namespace TranscodeFarm.IntegrationTests;

/// <summary>Hosts that say what they are (decision 020): the start-up line, unknown and missing settings, the edge's queue,
/// the public edge URL in what the CLI prints, a take-over shown by `submit --wait`, S3-ingest jobs only for workers that can fetch them.</summary>
public sealed class HostStartupTests
{
    private const string PgPassword = "pg-Secret-9f3e7";
    private const string StoreSecret = "store-Secret-4b1c9d";
    private const string StoreAccessKey = "AKIDSTARTUPTEST";

    /// <summary>The test database's URL with a password in it (the test server trusts local connections, so it is never checked).</summary>
    private static async Task<(string Url, string Described)> DatabaseWithPasswordAsync()
    {
        var url = new UriBuilder(await TestPostgres.CreateDatabaseAsync()) { Password = PgPassword }.Uri.ToString();
        return (url, QueueLocation.Describe(QueueLocation.ToConnectionString(url)));
    }

    private static Dictionary<string, string> S3Settings(string bucket) => new()
    {
        ["Store:Url"] = $"s3://{bucket}/vod/",
        ["Store:ServiceUrl"] = "http://127.0.0.1:9", // nothing listens: the hosts start anyway, unhealthy
        ["Store:AccessKey"] = StoreAccessKey,
        ["Store:SecretKey"] = StoreSecret,
        ["Store:MaxRetries"] = "1",
        ["Store:RetryBaseDelay"] = "00:00:00.100",
    };

    private static Dictionary<string, string> Env(Dictionary<string, string> settings) =>
        settings.ToDictionary(kv => "TRANSCODEFARM__" + kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);

    private static async Task<string> WaitForLineAsync(Func<string> output, string marker)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (output().Split('\n').FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no '{marker}' line:\n{output()}");
    }

    private static void AssertNoSecrets(string output)
    {
        Assert.DoesNotContain(PgPassword, output, StringComparison.Ordinal);
        Assert.DoesNotContain(StoreSecret, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_edge_and_run_each_print_one_start_up_line_naming_what_they_use_without_secrets()
    {
        var (url, described) = await DatabaseWithPasswordAsync();
        var settings = S3Settings("tf-startup");
        settings["Ingest:S3Url"] = "s3://tf-startup/incoming/";
        settings["Edge:Foo"] = "1";

        var data = Directory.CreateTempSubdirectory("tf-startup-").FullName;
        await using (var worker = new FarmProcess(data))
        {
            await worker.StartAsync(Env(settings), slots: 2, queueUrl: url, workerOnly: true, requireHealthy: false);
            var line = await WaitForLineAsync(() => worker.Output, "Host worker");
            Assert.Contains($"listening on {worker.BaseUrl}", line, StringComparison.Ordinal);
            Assert.Contains("watching S3 prefix s3://tf-startup/incoming/", line, StringComparison.Ordinal);
            Assert.Contains($"queue {described}", line, StringComparison.Ordinal);
            Assert.Contains("store s3://tf-startup/vod/ at http://127.0.0.1:9", line, StringComparison.Ordinal);
            Assert.Contains("2 slots", line, StringComparison.Ordinal);
            Assert.Contains(JobCapabilities.IngestS3, line, StringComparison.Ordinal);
            Assert.Contains("encoder:libx264", line, StringComparison.Ordinal);
            Assert.Contains("Unknown setting Edge:Foo (TRANSCODEFARM__Edge__Foo)", worker.Output, StringComparison.Ordinal);
            AssertNoSecrets(worker.Output);
        }

        var edgeSettings = S3Settings("tf-startup");
        edgeSettings["Edge:PublicUrl"] = "https://cdn.example.com/";
        await using (var edge = new EdgeProcess())
        {
            await edge.StartAsync(null, edgeSettings, queueUrl: url);
            var line = await WaitForLineAsync(() => edge.Output, "Host edge");
            Assert.Contains($"listening on {edge.BaseUrl} (public URL https://cdn.example.com, origin store)", line, StringComparison.Ordinal);
            Assert.Contains($"queue {described}", line, StringComparison.Ordinal);
            Assert.Contains("store s3://tf-startup/vod/", line, StringComparison.Ordinal);
            Assert.Contains("watching nothing", line, StringComparison.Ordinal);
            Assert.DoesNotContain("Unknown setting", edge.Output, StringComparison.Ordinal);
            AssertNoSecrets(edge.Output);
        }

        await using (var run = new FarmProcess())
        {
            await run.StartAsync(Env(S3Settings("tf-startup")), queueUrl: url, requireHealthy: false);
            var line = await WaitForLineAsync(() => run.Output, "Host run");
            Assert.Contains($"listening on {run.BaseUrl} (public URL {run.BaseUrl}, origin store)", line, StringComparison.Ordinal);
            Assert.Contains($"watching drop folder {run.DropFolder}", line, StringComparison.Ordinal);
            Assert.Contains($"queue {described}", line, StringComparison.Ordinal);
            Assert.Contains("1 slots", line, StringComparison.Ordinal);
            AssertNoSecrets(run.Output);
        }
    }

    [Fact]
    public async Task An_edge_serving_an_S3_store_without_the_farm_s_queue_refuses_to_start_naming_Queue_Url()
    {
        var data = Directory.CreateTempSubdirectory("tf-edge-noqueue-").FullName;
        var result = await Tools.CliAsync(Env(S3Settings("tf-noqueue")), "edge", "--data-dir", data, "--url", $"http://127.0.0.1:{Tools.FreePort()}");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Queue:Url (--queue)", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data, "queue.db")), "no local queue.db may be created");
        AssertNoSecrets(result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task An_S3_ingest_job_is_claimed_only_by_a_worker_that_can_fetch_its_source()
    {
        var url = await TestPostgres.CreateDatabaseAsync();
        var queue = await TestPostgres.CreateQueueAsync(TimeProvider.System, new QueueOptions(), url);
        var job = (await queue.SubmitAsync(new JobRequest
        {
            SourcePath = "s3://tf-claim/incoming/.processing/0123456789abcdef/clip.mp4", SourceName = "clip.mp4", ContentHash = "s3-claim",
            Profile = "test-tiny", Origin = JobOrigin.S3Prefix, MaxAttempts = 1,
        }, default)).Job;

        // A worker with the filesystem store and no Ingest:S3Url cannot fetch it: it leaves it queued.
        await using (var plain = new FarmProcess())
        {
            await plain.StartAsync(queueUrl: url, workerOnly: true);
            var line = await WaitForLineAsync(() => plain.Output, "Host worker");
            Assert.DoesNotContain(JobCapabilities.IngestS3, line, StringComparison.Ordinal);
            await Task.Delay(3000);
            Assert.Equal(JobState.Queued, (await queue.GetAsync(job.Id, default))!.State);
        }

        // A worker with an S3 store (no Ingest:S3Url) reaches the prefix with the store's endpoint and keys: it claims it.
        // (Its store is writable, or it would claim nothing; the source object does not exist, so its fetch then fails:
        // that it was claimed is what this test is about.)
        using var bucket = await TestS3.NewBucketAsync();
        await using var s3 = new FarmProcess();
        await s3.StartAsync(TestS3.FarmEnvironment(bucket.Describe.Split('/')[2]), queueUrl: url, workerOnly: true, requireHealthy: false);
        var clock = Stopwatch.StartNew();
        while ((await queue.EventsAsync(job.Id, default)).All(e => e.Message != "claimed"))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the S3 worker did not claim the job:\n" + s3.Output);
            await Task.Delay(200);
        }

        Assert.Contains(JobCapabilities.IngestS3, await WaitForLineAsync(() => s3.Output, "Host worker"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_wait_says_who_took_a_job_over_and_prints_the_public_edge_url()
    {
        var url = await TestPostgres.CreateDatabaseAsync();
        var data = Directory.CreateTempSubdirectory("tf-takeover-").FullName;
        var queue = await TestPostgres.CreateQueueAsync(TimeProvider.System, new QueueOptions(), url);
        var env = SlowProfile.Environment(SlowProfile.CreateFolder());
        var clip = await TestMedia.ClipAsync(640, 360, 12, extra: "-metadata comment=takeover");

        await using var first = new FarmProcess(data);
        await first.StartAsync(env, queueUrl: url, workerOnly: true);
        var cliEnv = new Dictionary<string, string>(env) { ["TRANSCODEFARM__Edge__PublicUrl"] = "https://cdn.example.com" };
        var submit = Tools.RunAsync("dotnet", [Tools.CliDll, "submit", clip, "--wait", "--queue", url, "--data-dir", data], cliEnv, TimeSpan.FromMinutes(4));

        var clock = Stopwatch.StartNew();
        JobRecord? running = null;
        while (running?.Progress is not { Stage: PipelineStage.Encode, Fraction: > 0.05 })
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), "the encode did not start:\n" + first.Output);
            await Task.Delay(200);
            running = (await queue.ListAsync(JobState.Running, 1, default)).FirstOrDefault();
        }

        var victim = running!.LeaseOwner;
        first.Kill();
        await using var second = new FarmProcess(data);
        await second.StartAsync(env, queueUrl: url, workerOnly: true);
        var result = await submit;
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr + second.Output);
        Assert.Contains("taken over by worker ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"after the lease of {victim} expired (attempt 2)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"HLS:  https://cdn.example.com/vod/{running.Id}/", result.Stdout, StringComparison.Ordinal);

        var show = await Tools.CliAsync(cliEnv, "jobs", "show", running.Id, "--queue", url, "--data-dir", data);
        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains($"HLS:  https://cdn.example.com/vod/{running.Id}/", show.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Take_over_notes_name_the_new_worker_the_old_lease_and_the_attempt()
    {
        var at = DateTimeOffset.UnixEpoch;
        var events = new List<JobEvent>
        {
            new("j", at, "queued", null, "submitted"),
            new("j", at, "running", "w1", "claimed"),
            new("j", at, "running", "w2", "reclaimed after the lease of w1 expired"),
            new("j", at, "queued", null, "lease of w2 expired: reaped by maintenance"),
            new("j", at, "running", "w3", "claimed"),
        };
        Assert.Equal(
            [
                "taken over by worker w2 after the lease of w1 expired (attempt 2)",
                "lease of w2 expired: reaped by maintenance",
                "taken over by worker w3 after the lease of w2 expired (attempt 3)",
            ],
            Cli.JobView.Notes(events, 2, attempts: 3));
        Assert.Empty(Cli.JobView.Notes(events, 5, attempts: 3));
    }

    [Fact]
    public void A_claimed_object_s_path_leads_back_to_its_ingest_prefix()
    {
        Assert.Equal("s3://media/incoming/", Worker.Ingest.S3Ingest.PrefixUrl("s3://media/incoming/.processing/0123456789abcdef/clip.mp4"));
        Assert.Equal("s3://media/", Worker.Ingest.S3Ingest.PrefixUrl("s3://media/.processing/0123456789abcdef/a b.mov"));
        Assert.Null(Worker.Ingest.S3Ingest.PrefixUrl("s3://media/incoming/clip.mp4"));
        Assert.Null(Worker.Ingest.S3Ingest.PrefixUrl("/data/sources/x/clip.mp4"));
    }

    [Theory]
    [InlineData("run")]
    [InlineData("worker")]
    [InlineData("edge")]
    public async Task The_readme_lists_every_flag_of_every_host(string host)
    {
        var help = await Tools.CliAsync(null, host, "--help");
        Assert.Equal(0, help.ExitCode);
        var flags = help.Stdout.Split('\n')
            .Select(l => l.TrimStart())
            .Where(l => l.StartsWith("--", StringComparison.Ordinal))
            .Select(l => l.Split(' ', ',')[0])
            .Where(f => f != "--help")
            .ToList();
        Assert.NotEmpty(flags);
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(folder!.FullName, "README.md")))
        {
            folder = folder.Parent;
        }

        var readme = File.ReadAllText(Path.Combine(folder.FullName, "README.md"));
        var table = readme[readme.IndexOf("#### The hosts and their flags", StringComparison.Ordinal)..];
        var row = table[table.IndexOf($"| `{host}` |", StringComparison.Ordinal)..];
        foreach (var flag in flags)
        {
            Assert.True(row.Contains($"`{flag}", StringComparison.Ordinal) || table.Contains($"| every command | `{flag}", StringComparison.Ordinal)
                || table.Contains($"| | `{flag}", StringComparison.Ordinal), $"README's flags table lacks {host} {flag}");
        }
    }
}
