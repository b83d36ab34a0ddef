using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace TranscodeFarm.Database;

/// <summary>
/// The embedded database: one SQLite file in WAL mode, shared by every process on the machine (the running farm and CLI
/// commands). Every write transaction is BEGIN IMMEDIATE, so two writers never interleave. Migrated when opened: there is
/// one process family per file, and no operator to ask.
/// </summary>
public sealed class SqliteFarmDatabase : FarmDatabase
{
    private readonly string _connectionString;

    public SqliteFarmDatabase(string databasePath)
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

    public override string Describe => "sqlite://" + new SqliteConnectionStringBuilder(_connectionString).DataSource;

    // The database's clock is this machine's (embedded mode is one machine), read the same way: in the statement.
    public override string NowSql => "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";

    public override string RowLock => "";

    public override string Greatest => "MAX";

    public override Task<(int From, int To)> MigrateAsync(CancellationToken cancellationToken) =>
        Task.FromResult((SqliteSchema.LatestVersion, SqliteSchema.LatestVersion));

    public override Task<(int Current, int Latest)> SchemaVersionAsync(CancellationToken cancellationToken) =>
        Task.FromResult((SqliteSchema.LatestVersion, SqliteSchema.LatestVersion));

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var db = new SqliteConnection(_connectionString);
        await db.OpenAsync(cancellationToken);
        await using var pragma = db.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return db;
    }
}
