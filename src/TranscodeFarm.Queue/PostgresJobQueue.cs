using System.Data.Common;
using Npgsql;

namespace TranscodeFarm.Queue;

/// <summary>
/// The farm queue on PostgreSQL, shared by every worker host. Claims take `FOR UPDATE SKIP LOCKED`, so
/// claimers never wait on each other; a commit that makes a job claimable sends NOTIFY, and idle workers
/// LISTEN instead of polling.
/// </summary>
public sealed class PostgresJobQueue(NpgsqlDataSource dataSource, TimeProvider time, QueueOptions options)
    : SqlJobQueue(time, options), IJobNotifications, IDisposable, IAsyncDisposable
{
    public const string Channel = "transcodefarm_jobs";

    protected override string RowLock => "FOR UPDATE";

    protected override string Greatest => "GREATEST";

    public override string Describe => QueueLocation.Describe(dataSource.ConnectionString);

    public override Task<(int From, int To)> MigrateAsync(CancellationToken cancellationToken) =>
        PostgresSchema.MigrateAsync(dataSource, cancellationToken);

    protected override async Task<(int Current, int Latest)> SchemaVersionAsync(CancellationToken cancellationToken) =>
        (await PostgresSchema.VersionAsync(dataSource, cancellationToken), PostgresSchema.LatestVersion);

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    protected override async Task JobsReadyAsync(DbConnection db, DbTransaction tx, CancellationToken cancellationToken)
    {
        await using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"NOTIFY {Channel}"; // delivered at commit, never for a rolled-back submit
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Calls <paramref name="onJobsReady"/> for every notification, and once after each (re)connect for anything
    /// submitted while not listening, until cancelled.</summary>
    public Task ListenAsync(Action onJobsReady, CancellationToken cancellationToken) =>
        PostgresListener.ListenAsync(dataSource, Channel, _ => onJobsReady(), onJobsReady, cancellationToken);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    public void Dispose() => dataSource.Dispose();
}

/// <summary>A queue that can wake idle workers when jobs become claimable.</summary>
public interface IJobNotifications
{
    Task ListenAsync(Action onJobsReady, CancellationToken cancellationToken);
}
