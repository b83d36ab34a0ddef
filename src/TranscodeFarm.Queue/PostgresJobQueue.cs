using System.Data.Common;
using Npgsql;
using TranscodeFarm.Queue.Assets;

namespace TranscodeFarm.Queue;

/// <summary>
/// The farm queue on PostgreSQL, shared by every worker host. Claims take `FOR UPDATE SKIP LOCKED`, so
/// claimers never wait on each other; a commit that makes a job claimable sends NOTIFY, and idle workers
/// LISTEN instead of polling. Asset changes queue on an advisory lock and are announced the same way.
/// </summary>
public sealed class PostgresJobQueue(NpgsqlDataSource dataSource, QueueClock clock, QueueOptions options)
    : SqlJobQueue(clock, options), IJobNotifications, IDisposable, IAsyncDisposable
{
    public const string Channel = "transcodefarm_jobs";

    protected override string RowLock => "FOR UPDATE";

    protected override string Greatest => "GREATEST";

    // clock_timestamp(), not now(): now() is the transaction's start, and a lease is checked against the present.
    protected override string DatabaseNowSql => "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

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

    /// <summary>Asset changes queue one after another until commit: the seq a change takes is then always above every
    /// committed one, and a reader never sees seq N+1 before N.</summary>
    internal override async Task LockAssetChangesAsync(DbConnection db, DbTransaction tx, CancellationToken cancellationToken)
    {
        await using var cmd = SqlJobQueue.Command(db, tx, $"SELECT pg_advisory_xact_lock({PostgresSchema.AssetChangeLock})");
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    internal override async Task AssetChangedAsync(DbConnection db, DbTransaction tx, string assetId, CancellationToken cancellationToken)
    {
        // pg_notify rather than NOTIFY: the payload is a parameter. Delivered at commit, never for a rolled-back change.
        await using var cmd = SqlJobQueue.Command(db, tx, "SELECT pg_notify(@channel, @asset)", ("@channel", PostgresAssetNotifications.Channel), ("@asset", assetId));
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>For the asset change listener, which needs a connection of its own.</summary>
    internal NpgsqlDataSource DataSource => dataSource;

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    public void Dispose() => dataSource.Dispose();
}

/// <summary>A queue that can wake idle workers when jobs become claimable.</summary>
public interface IJobNotifications
{
    Task ListenAsync(Action onJobsReady, CancellationToken cancellationToken);
}
