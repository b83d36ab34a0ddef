using System.Diagnostics;
using Npgsql;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Database;
using TranscodeFarm.Queue;

// Queue benchmark: claim+complete throughput with 1, 4 and 8 concurrent claimers on PostgreSQL and SQLite,
// and submit-to-claim latency through LISTEN/NOTIFY. Run through benchmarks/queue.sh (starts a PostgreSQL).
var postgresUrl = args.FirstOrDefault() ?? Environment.GetEnvironmentVariable("TRANSCODEFARM_TEST_POSTGRES")
    ?? throw new InvalidOperationException("pass a postgres:// URL (benchmarks/queue.sh does)");
const int Jobs = 2000;
var options = new QueueOptions();
var lease = TimeSpan.FromMinutes(5);

Console.WriteLine("| queue | claimers | jobs | seconds | jobs/s |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var claimers in new[] { 1, 4, 8 })
{
    await using var pg = await NewPostgresAsync();
    await Report("PostgreSQL", pg, claimers);
    var sqlite = new SqliteJobQueue(Path.Combine(Directory.CreateTempSubdirectory("tf-qbench-").FullName, "queue.db"), QueueClock.Database, options);
    await Report("SQLite", sqlite, claimers);
}

await using (var pg = await NewPostgresAsync())
{
    var latencies = await NotifyLatencyAsync(pg, 200);
    Console.WriteLine();
    Console.WriteLine($"submit → claim through LISTEN/NOTIFY, {latencies.Count} jobs: p50 {Percentile(latencies, 50):0.0} ms, p95 {Percentile(latencies, 95):0.0} ms, max {latencies.Max():0.0} ms (goal p50 < 50 ms)");
}

return 0;

async Task Report(string name, IJobQueue queue, int claimers)
{
    for (var i = 0; i < Jobs; i++)
    {
        await queue.SubmitAsync(Request($"{name}-{claimers}-{i}"), default);
    }

    var watch = Stopwatch.StartNew();
    var done = 0;
    await Task.WhenAll(Enumerable.Range(0, claimers).Select(c => Task.Run(async () =>
    {
        while (await queue.ClaimAsync($"w{c}", lease, default) is { } job)
        {
            await queue.CompleteAsync(job.Id, $"w{c}", new JobOutputs(job.Id, "m", "d", [], 1, 1, 1), default);
            Interlocked.Increment(ref done);
        }
    })));
    var seconds = watch.Elapsed.TotalSeconds;
    if (done != Jobs)
    {
        throw new InvalidOperationException($"{name}: {done} of {Jobs} jobs completed");
    }

    Console.WriteLine($"| {name} | {claimers} | {Jobs} | {seconds:0.00} | {Jobs / seconds:0} |");
}

async Task<List<double>> NotifyLatencyAsync(PostgresJobQueue queue, int count)
{
    var signal = new SemaphoreSlim(0);
    using var cts = new CancellationTokenSource();
    var listener = queue.ListenAsync(() => signal.Release(), cts.Token);
    await signal.WaitAsync(); // LISTEN is active
    var latencies = new List<double>();
    for (var i = 0; i < count; i++)
    {
        while (signal.CurrentCount > 0)
        {
            await signal.WaitAsync();
        }

        var watch = Stopwatch.StartNew();
        await queue.SubmitAsync(Request($"latency-{i}"), default);
        await signal.WaitAsync(TimeSpan.FromSeconds(5)); // an idle worker wakes on the notification...
        var job = await queue.ClaimAsync("w", [], lease, default) ?? throw new InvalidOperationException("nothing to claim"); // ...and claims
        latencies.Add(watch.Elapsed.TotalMilliseconds);
        await queue.CompleteAsync(job.Id, "w", new JobOutputs(job.Id, "m", "d", [], 1, 1, 1), default);
        await Task.Delay(5);
    }

    await cts.CancelAsync();
    try
    {
        await listener;
    }
    catch (OperationCanceledException)
    {
    }

    return latencies;
}

async Task<PostgresJobQueue> NewPostgresAsync()
{
    var name = "qbench_" + Guid.NewGuid().ToString("N")[..10];
    await using (var admin = NpgsqlDataSource.Create(QueueLocation.ToConnectionString(postgresUrl)))
    await using (var cmd = admin.CreateCommand($"CREATE DATABASE {name}"))
    {
        await cmd.ExecuteNonQueryAsync();
    }

    var url = new UriBuilder(postgresUrl) { Path = "/" + name }.Uri.ToString();
    var queue = new PostgresJobQueue(NpgsqlDataSource.Create(QueueLocation.ToConnectionString(url) + ";Maximum Pool Size=32"), QueueClock.Database, options);
    await queue.MigrateAsync(default);
    return queue;
}

static JobRequest Request(string key) => new()
{
    SourcePath = "/bench/source.mp4", SourceName = "source.mp4", ContentHash = key, Profile = "p", Origin = JobOrigin.Submit,
};

static double Percentile(List<double> values, int p) => values.Order().ElementAt(Math.Min(values.Count - 1, values.Count * p / 100));
