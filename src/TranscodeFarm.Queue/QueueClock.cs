using System.Data.Common;
using System.Globalization;
using TranscodeFarm.Database;

namespace TranscodeFarm.Queue;

/// <summary>
/// The one clock every lease, retry and timestamp in the queue is read from. In production that is the database's own
/// clock (<c>clock_timestamp()</c> in PostgreSQL, <c>julianday('now')</c> in SQLite), read inside the transaction that
/// uses it: hosts whose clocks drift still agree on when a lease ends, because none of them decides it. Tests move
/// database time by handing the queue <see cref="From"/> a fake <see cref="TimeProvider"/>; no host's clock is ever used.
/// </summary>
public abstract class QueueClock
{
    /// <summary>The database's clock: what every host uses.</summary>
    public static QueueClock Database { get; } = new DatabaseClock();

    /// <summary>A clock the caller controls (tests of lease expiry and retry back-off).</summary>
    public static QueueClock From(TimeProvider time) => new ProviderClock(time);

    /// <summary>Unix milliseconds now, as the database (or the test's clock) sees it.</summary>
    internal abstract ValueTask<long> NowAsync(DbConnection db, DbTransaction? tx, string databaseNowSql, CancellationToken cancellationToken);

    private sealed class DatabaseClock : QueueClock
    {
        internal override async ValueTask<long> NowAsync(DbConnection db, DbTransaction? tx, string databaseNowSql, CancellationToken cancellationToken)
        {
            await using var cmd = FarmDatabase.Command(db, tx, "SELECT " + databaseNowSql);
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
    }

    private sealed class ProviderClock(TimeProvider time) : QueueClock
    {
        internal override ValueTask<long> NowAsync(DbConnection db, DbTransaction? tx, string databaseNowSql, CancellationToken cancellationToken) =>
            ValueTask.FromResult(time.GetUtcNow().ToUnixTimeMilliseconds());
    }
}
