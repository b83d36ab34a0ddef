using System.Data.Common;

namespace TranscodeFarm.Database;

/// <summary>
/// The farm's one database (SQLite embedded, PostgreSQL in a farm), shared by the job queue, the content key store and
/// the fingerprint catalog: connections, the few places where the two dialects differ, the schema (one migration list
/// for every table) and notifications. Each store takes this from DI instead of reaching it through the job queue.
/// </summary>
public abstract class FarmDatabase
{
    /// <summary>Where the database lives, for logs, health and `transcodefarm workers` (never credentials).</summary>
    public abstract string Describe { get; }

    /// <summary>The database's clock as Unix milliseconds, in SQL.</summary>
    public abstract string NowSql { get; }

    /// <summary>Appended to a SELECT that is followed by an UPDATE of the same row: "" where the transaction itself
    /// locks the database (SQLite), "FOR UPDATE" elsewhere.</summary>
    public abstract string RowLock { get; }

    /// <summary>The two-argument maximum: MAX in SQLite, GREATEST in PostgreSQL.</summary>
    public abstract string Greatest { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Applies missing schema migrations; returns the versions before and after.</summary>
    public abstract Task<(int From, int To)> MigrateAsync(CancellationToken cancellationToken);

    public abstract Task<(int Current, int Latest)> SchemaVersionAsync(CancellationToken cancellationToken);

    /// <summary>Migrates, or when <paramref name="migrate"/> is false fails with the command to run.</summary>
    public async Task EnsureSchemaAsync(bool migrate, CancellationToken cancellationToken)
    {
        if (migrate)
        {
            await MigrateAsync(cancellationToken);
            return;
        }

        var (current, latest) = await SchemaVersionAsync(cancellationToken);
        if (current != latest)
        {
            throw new InvalidOperationException(
                $"Queue:MigrateOnStart is false and the database schema is at version {current}, this build needs {latest}: run `transcodefarm db migrate`");
        }
    }

    /// <summary>Makes transactions that take the same <paramref name="lockId"/> wait for each other until commit. Nothing to
    /// do where every write transaction already locks the database (SQLite's BEGIN IMMEDIATE).</summary>
    public virtual Task LockUntilCommitAsync(DbConnection db, DbTransaction tx, long lockId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Tells other hosts at commit (never for a rolled-back transaction). SQLite has no one to tell: one machine,
    /// and its other processes poll.</summary>
    public virtual Task NotifyAsync(DbConnection db, DbTransaction tx, string channel, string payload, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Calls <paramref name="onNotification"/> for each notification on <paramref name="channel"/>, and <paramref name="onListening"/>
    /// each time listening (re)starts, since what was sent meanwhile is lost and the caller catches up then; until cancelled.
    /// Where nothing is announced (SQLite) it says "catch up" once and waits, so callers use the same code in both modes.
    /// </summary>
    public virtual async Task ListenAsync(string channel, Action<string> onNotification, Action onListening, CancellationToken cancellationToken)
    {
        onListening();
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    /// <summary>A parameterized command: every store's statements are built this way, values never spliced into SQL.</summary>
    public static DbCommand Command(DbConnection db, DbTransaction? tx, string sql, params (string Name, object? Value)[] ps)
    {
        var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in ps)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }

        return cmd;
    }
}
