using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace TranscodeFarm.Queue;

/// <summary>
/// The embedded queue: one SQLite file in WAL mode, shared by every process on the machine (the running
/// farm and CLI commands). Every write transaction is BEGIN IMMEDIATE, so two claimers never take the same job.
/// </summary>
public sealed class SqliteJobQueue : SqlJobQueue
{
    private readonly string _connectionString;

    public SqliteJobQueue(string databasePath, QueueClock clock, QueueOptions options)
        : base(clock, options)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using var db = new SqliteConnection(_connectionString);
        db.Open();
        SqliteSchema.Migrate(db);
    }

    protected override string RowLock => "";

    public override string Describe => "sqlite://" + new SqliteConnectionStringBuilder(_connectionString).DataSource;

    // SQLite is migrated when opened: there is one process family per file, and no operator to ask.
    public override Task<(int From, int To)> MigrateAsync(CancellationToken cancellationToken) =>
        Task.FromResult((SqliteSchema.LatestVersion, SqliteSchema.LatestVersion));

    protected override Task<(int Current, int Latest)> SchemaVersionAsync(CancellationToken cancellationToken) =>
        Task.FromResult((SqliteSchema.LatestVersion, SqliteSchema.LatestVersion));

    protected override string Greatest => "MAX";

    // The database's clock is this machine's (embedded mode is one machine), read the same way: in the statement.
    protected override string DatabaseNowSql => "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var db = new SqliteConnection(_connectionString);
        await db.OpenAsync(cancellationToken);
        await using var pragma = db.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return db;
    }
}
