using Npgsql;
using TranscodeFarm.Database;
using TranscodeFarm.Queue;

namespace TranscodeFarm.IntegrationTests.Infrastructure;

/// <summary>
/// The PostgreSQL that scripts/test.sh starts on 127.0.0.1 (URL in TRANSCODEFARM_TEST_POSTGRES). Each user gets
/// a fresh database. Never skipped: without the server these tests fail and say how to start it.
/// </summary>
public static class TestPostgres
{
    public static string AdminUrl =>
        Environment.GetEnvironmentVariable("TRANSCODEFARM_TEST_POSTGRES") is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException(
                "TRANSCODEFARM_TEST_POSTGRES is not set: run the tests with scripts/test.sh, which starts a PostgreSQL on 127.0.0.1 " +
                "(or start one with scripts/postgres.sh start DIR PORT and export the URL it prints)");

    /// <summary>Creates an empty database and returns its postgres:// URL.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "tf_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = NpgsqlDataSource.Create(QueueLocation.ToConnectionString(AdminUrl)))
        await using (var cmd = admin.CreateCommand($"CREATE DATABASE {name}"))
        {
            await cmd.ExecuteNonQueryAsync();
        }

        var uri = new UriBuilder(AdminUrl) { Path = "/" + name };
        return uri.Uri.ToString();
    }

    public static async Task<PostgresJobQueue> CreateQueueAsync(TimeProvider time, QueueOptions options, string? url = null)
    {
        url ??= await CreateDatabaseAsync();
        var queue = new PostgresJobQueue(NpgsqlDataSource.Create(QueueLocation.ToConnectionString(url)), QueueClock.From(time), options);
        await queue.MigrateAsync(default);
        return queue;
    }
}

public sealed class PostgresJobQueueTests : JobQueueContractTests
{
    protected override async Task<IJobQueue> CreateQueueAsync(TimeProvider time) => await TestPostgres.CreateQueueAsync(time, Options);

    [Fact]
    public async Task Migrations_are_versioned_and_idempotent()
    {
        var url = await TestPostgres.CreateDatabaseAsync();
        var queue = new PostgresJobQueue(NpgsqlDataSource.Create(QueueLocation.ToConnectionString(url)), QueueClock.From(Time), Options);
        await Assert.ThrowsAsync<InvalidOperationException>(() => queue.Database.EnsureSchemaAsync(migrate: false, default));
        Assert.Equal((0, PostgresSchema.LatestVersion), await queue.MigrateAsync(default));
        Assert.Equal((PostgresSchema.LatestVersion, PostgresSchema.LatestVersion), await queue.MigrateAsync(default));
        await queue.Database.EnsureSchemaAsync(migrate: false, default);
    }

    [Fact]
    public async Task Idle_workers_are_woken_by_notify_when_a_job_is_submitted()
    {
        var queue = await TestPostgres.CreateQueueAsync(TimeProvider.System, Options);
        var woken = new SemaphoreSlim(0);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var listening = queue.ListenAsync(() => woken.Release(), cts.Token);
        Assert.True(await woken.WaitAsync(TimeSpan.FromSeconds(10)), "no initial wake-up after LISTEN");
        await queue.SubmitAsync(new Core.Jobs.JobRequest { SourcePath = "/x", SourceName = "x", ContentHash = "n", Profile = "p", Origin = Core.Jobs.JobOrigin.Submit }, default);
        Assert.True(await woken.WaitAsync(TimeSpan.FromSeconds(5)), "NOTIFY did not arrive");
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listening);
    }

    [Fact]
    public void Urls_and_connection_strings_are_understood_and_described_without_password()
    {
        var cs = QueueLocation.ToConnectionString("postgres://farm:s%40cret@db.internal:6543/jobs?sslmode=require");
        var b = new NpgsqlConnectionStringBuilder(cs);
        Assert.Equal(("db.internal", 6543, "jobs", "farm", "s@cret", SslMode.Require), (b.Host, b.Port, b.Database, b.Username, b.Password, b.SslMode));
        Assert.Equal("postgres://db.internal:6543/jobs", QueueLocation.Describe(cs));
        Assert.DoesNotContain("cret", QueueLocation.Describe(cs));
        Assert.True(QueueLocation.IsPostgres("Host=127.0.0.1;Database=x"));
        Assert.False(QueueLocation.IsPostgres(""));
    }
}
