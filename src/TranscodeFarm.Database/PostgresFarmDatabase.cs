using System.Data.Common;
using Npgsql;

namespace TranscodeFarm.Database;

/// <summary>
/// The farm database on PostgreSQL, shared by every host. Row locks are real (`FOR UPDATE`), the clock is the server's,
/// serialized changes take transaction-scoped advisory locks, and hosts are told of commits by NOTIFY/LISTEN.
/// </summary>
public sealed class PostgresFarmDatabase(NpgsqlDataSource dataSource) : FarmDatabase, IDisposable, IAsyncDisposable
{
    public override string Describe => QueueLocation.Describe(dataSource.ConnectionString);

    // clock_timestamp(), not now(): now() is the transaction's start, and a lease is checked against the present.
    public override string NowSql => "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

    public override string RowLock => "FOR UPDATE";

    public override string Greatest => "GREATEST";

    public override Task<(int From, int To)> MigrateAsync(CancellationToken cancellationToken) =>
        PostgresSchema.MigrateAsync(dataSource, cancellationToken);

    public override async Task<(int Current, int Latest)> SchemaVersionAsync(CancellationToken cancellationToken) =>
        (await PostgresSchema.VersionAsync(dataSource, cancellationToken), PostgresSchema.LatestVersion);

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    public override async Task LockUntilCommitAsync(DbConnection db, DbTransaction tx, long lockId, CancellationToken cancellationToken)
    {
        await using var cmd = Command(db, tx, "SELECT pg_advisory_xact_lock(@id)", ("@id", lockId));
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async Task NotifyAsync(DbConnection db, DbTransaction tx, string channel, string payload, CancellationToken cancellationToken)
    {
        // pg_notify rather than NOTIFY: channel and payload are parameters. Delivered at commit, never for a rollback.
        await using var cmd = Command(db, tx, "SELECT pg_notify(@channel, @payload)", ("@channel", channel), ("@payload", payload));
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public override Task ListenAsync(string channel, Action<string> onNotification, Action onListening, CancellationToken cancellationToken) =>
        PostgresListener.ListenAsync(dataSource, channel, onNotification, onListening, cancellationToken);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    public void Dispose() => dataSource.Dispose();
}
