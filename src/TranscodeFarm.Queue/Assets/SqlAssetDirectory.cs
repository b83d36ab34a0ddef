using System.Data.Common;
using System.Globalization;
using TranscodeFarm.Core.Assets;
using TranscodeFarm.Database;

namespace TranscodeFarm.Queue.Assets;

/// <summary>
/// The asset directory in the queue's own database (SQLite embedded, PostgreSQL in a farm). Each change is one
/// transaction that takes the next change_seq (the largest one + 1) while holding the asset change lock until
/// commit, so seqs grow in commit order and a reader of <see cref="ChangesSinceAsync"/> never skips one. Rows are
/// never deleted (deleting is a state), so the largest seq never goes back and no seq is handed out twice.
/// </summary>
/// <remarks>It takes the job queue, not only the database: the lease fence reads the job row on the queue's clock.</remarks>
public sealed class SqlAssetDirectory(SqlJobQueue queue, TimeProvider time) : IAssetDirectory
{
    /// <summary>Held from an asset change until its commit, so change_seq grows in commit order.</summary>
    private const long AssetChangeLock = 0x7466617373657473; // "tfassets"

    private const string Columns = "asset_id, state, generation, change_seq, changed_at, require_token, reason";
    private const string NextSeq = "(SELECT COALESCE(MAX(change_seq), 0) + 1 FROM assets)";

    public async Task<AssetRecord> PublishAsync(string assetId, int generation, bool requireToken, CancellationToken cancellationToken) =>
        (await PublishAsync(assetId, generation, requireToken, null, cancellationToken))!;

    public async Task<AssetRecord?> PublishAsync(string assetId, int generation, bool requireToken, LeaseFence? fence, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(generation, 1);
        return await ChangeAsync(assetId, $"""
            INSERT INTO assets ({Columns}) VALUES (@id, @state, @generation, {NextSeq}, @now, @token, NULL)
            ON CONFLICT (asset_id) DO UPDATE SET state = excluded.state, generation = excluded.generation,
                change_seq = excluded.change_seq, changed_at = excluded.changed_at, require_token = excluded.require_token, reason = NULL
            RETURNING {Columns}
            """, cancellationToken, fence is null ? null : (db, tx) => HoldsLeaseAsync(db, tx, fence, cancellationToken),
            ("@state", ToWire(AssetState.Published)), ("@generation", generation), ("@token", requireToken ? 1 : 0));
    }

    /// <summary>The fence, inside the change's transaction: the job row is locked (FOR UPDATE; SQLite's write lock) so no
    /// claim can take it between this check and the commit.</summary>
    private async Task<bool> HoldsLeaseAsync(DbConnection db, DbTransaction tx, LeaseFence fence, CancellationToken cancellationToken)
    {
        var now = await queue.NowAsync(db, tx, cancellationToken);
        await using var cmd = FarmDatabase.Command(db, tx, $"""
            SELECT id FROM jobs
            WHERE id = @job AND lease_owner = @worker AND generation = @generation AND state = 'running' AND lease_expires_at > @now
            {queue.Database.RowLock}
            """, ("@job", fence.JobId), ("@worker", fence.WorkerId), ("@generation", fence.Generation), ("@now", now));
        return await cmd.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public Task<AssetRecord> WithdrawAsync(string assetId, string reason, CancellationToken cancellationToken) =>
        StopServingAsync(assetId, AssetState.Withdrawn, reason, cancellationToken);

    public Task<AssetRecord> MarkDeletedAsync(string assetId, string reason, CancellationToken cancellationToken) =>
        StopServingAsync(assetId, AssetState.Deleted, reason, cancellationToken);

    public Task<AssetRecord?> PurgeAsync(string assetId, CancellationToken cancellationToken) =>
        ChangeAsync(assetId, $"UPDATE assets SET change_seq = {NextSeq}, changed_at = @now WHERE asset_id = @id RETURNING {Columns}", cancellationToken, null);

    public async Task<AssetRecord?> GetAsync(string assetId, CancellationToken cancellationToken)
    {
        Validate(assetId);
        var rows = await ReadAsync($"SELECT {Columns} FROM assets WHERE asset_id = @id", cancellationToken, ("@id", assetId));
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<IReadOnlyList<AssetRecord>> ChangesSinceAsync(long afterSeq, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadAsync($"SELECT {Columns} FROM assets WHERE change_seq > @after ORDER BY change_seq LIMIT @limit", cancellationToken,
            ("@after", afterSeq), ("@limit", limit));
    }

    public Task<IReadOnlyList<AssetRecord>> ListAsync(AssetState? state, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var filter = state is null ? "" : "WHERE state = @state";
        return ReadAsync($"SELECT {Columns} FROM assets {filter} ORDER BY change_seq DESC LIMIT @limit", cancellationToken,
            ("@state", state is { } s ? ToWire(s) : null), ("@limit", limit));
    }

    /// <summary>Withdraw or delete: keeps the generation (0 for a row made here) so an operator can see what was served.</summary>
    private async Task<AssetRecord> StopServingAsync(string assetId, AssetState state, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return (await ChangeAsync(assetId, $"""
            INSERT INTO assets ({Columns}) VALUES (@id, @state, 0, {NextSeq}, @now, 0, @reason)
            ON CONFLICT (asset_id) DO UPDATE SET state = excluded.state, change_seq = excluded.change_seq,
                changed_at = excluded.changed_at, reason = excluded.reason
            RETURNING {Columns}
            """, cancellationToken, null, ("@state", ToWire(state)), ("@reason", reason)))!;
    }

    /// <summary>One change: lock, the guard (false: change nothing), one statement that RETURNs the row it wrote (none:
    /// nothing changed), announce, commit.</summary>
    private async Task<AssetRecord?> ChangeAsync(string assetId, string sql, CancellationToken cancellationToken,
        Func<DbConnection, DbTransaction, Task<bool>>? guard, params (string, object?)[] ps)
    {
        Validate(assetId);
        await using var db = await queue.Database.OpenAsync(cancellationToken);
        // SQLite: BEGIN IMMEDIATE, which holds the write lock from the start (the MAX read included).
        await using var tx = await db.BeginTransactionAsync(cancellationToken);
        await queue.Database.LockUntilCommitAsync(db, tx, AssetChangeLock, cancellationToken);
        if (guard is not null && !await guard(db, tx))
        {
            return null;
        }

        AssetRecord? changed;
        await using (var cmd = FarmDatabase.Command(db, tx, sql, [("@id", assetId), ("@now", time.GetUtcNow().ToUnixTimeMilliseconds()), .. ps]))
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            changed = await r.ReadAsync(cancellationToken) ? ReadRow(r) : null;
        }

        if (changed is not null)
        {
            await queue.Database.NotifyAsync(db, tx, PostgresAssetNotifications.Channel, assetId, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return changed;
    }

    private async Task<IReadOnlyList<AssetRecord>> ReadAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] ps)
    {
        await using var db = await queue.Database.OpenAsync(cancellationToken);
        await using var cmd = FarmDatabase.Command(db, null, sql, ps);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        var rows = new List<AssetRecord>();
        while (await r.ReadAsync(cancellationToken))
        {
            rows.Add(ReadRow(r));
        }

        return rows;
    }

    private static AssetRecord ReadRow(DbDataReader r) => new(
        r.GetString(0),
        Enum.Parse<AssetState>(r.GetString(1), ignoreCase: true),
        Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture),
        Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture),
        DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(4), CultureInfo.InvariantCulture)),
        Convert.ToInt64(r.GetValue(5), CultureInfo.InvariantCulture) != 0,
        r.IsDBNull(6) ? null : r.GetString(6));

    /// <summary>The id is the first segment of every object key of the asset, so it must be one valid key segment.</summary>
    private static void Validate(string assetId)
    {
        if (assetId is null || assetId.Contains('/', StringComparison.Ordinal) || !ObjectKeys.IsValid(assetId + "/x"))
        {
            throw new ArgumentException($"'{assetId}' is not a valid asset id (one object-key segment: letters, digits, '.', '_', '-')", nameof(assetId));
        }
    }

    /// <summary>Lower-case, as the migration's backfill writes 'published'.</summary>
    private static string ToWire(AssetState state) => state.ToString().ToLowerInvariant();
}
