using Npgsql;

namespace TranscodeFarm.Database;

/// <summary>
/// Versioned migrations of the farm database: one list for every table (jobs, workers, assets, content keys,
/// fingerprints), because it is one database. Append new steps; never edit a shipped one. Migrators on several
/// hosts serialize on an advisory lock, so starting many workers at once is safe.
/// </summary>
public static class PostgresSchema
{
    private const long MigrationLock = 0x7472616e73636f64; // "transcod"

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE jobs (
            id TEXT PRIMARY KEY,
            idempotency_key TEXT NOT NULL UNIQUE,
            source_path TEXT NOT NULL,
            source_name TEXT NOT NULL,
            profile TEXT NOT NULL,
            origin TEXT NOT NULL,
            title TEXT,
            priority INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            max_attempts INTEGER NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            not_before BIGINT NOT NULL,
            lease_owner TEXT,
            lease_expires_at BIGINT,
            cancel_requested INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            progress TEXT,
            outputs TEXT,
            required_capability TEXT
        );
        CREATE INDEX jobs_claim ON jobs (state, priority DESC, not_before, created_at);
        CREATE TABLE job_events (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            job_id TEXT NOT NULL,
            at BIGINT NOT NULL,
            state TEXT NOT NULL,
            worker_id TEXT,
            message TEXT
        );
        CREATE INDEX job_events_job ON job_events (job_id, seq);
        CREATE TABLE workers (
            id TEXT PRIMARY KEY,
            host TEXT NOT NULL,
            capabilities TEXT NOT NULL,
            slots INTEGER NOT NULL,
            version TEXT NOT NULL,
            started_at BIGINT NOT NULL,
            heartbeat_at BIGINT NOT NULL
        );
        """,
        """
        ALTER TABLE jobs ADD COLUMN drm TEXT;
        CREATE TABLE content_keys (
            kid TEXT PRIMARY KEY,
            key_set TEXT NOT NULL,
            track TEXT NOT NULL,
            sealed_key BYTEA NOT NULL,
            created_at BIGINT NOT NULL
        );
        CREATE UNIQUE INDEX content_keys_set_track ON content_keys (key_set, track);
        CREATE TABLE key_set_pssh (
            key_set TEXT NOT NULL,
            kid TEXT NOT NULL,
            system_id TEXT NOT NULL,
            pssh BYTEA NOT NULL,
            PRIMARY KEY (key_set, kid, system_id)
        );
        CREATE TABLE asset_keys (
            asset_id TEXT NOT NULL,
            kid TEXT NOT NULL,
            clear_delivery INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (asset_id, kid)
        );
        """,
        """
        CREATE TABLE fingerprints (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            collection TEXT NOT NULL,
            entry_id TEXT NOT NULL,
            name TEXT NOT NULL,
            duration_seconds DOUBLE PRECISION NOT NULL,
            video BYTEA,
            audio BYTEA,
            created_at BIGINT NOT NULL
        );
        CREATE UNIQUE INDEX fingerprints_entry ON fingerprints (collection, entry_id);
        """,
        AssetsTable + AssetsBackfill,
        "ALTER TABLE jobs ADD COLUMN require_token INTEGER NOT NULL DEFAULT 0;",
        KeySetPoliciesTable,
        Generations,
    ];

    /// <summary>
    /// Who may use each imported key set and whether the edge may deliver its keys in clear (see KeySetPolicy). Lists are
    /// JSON arrays, NULL meaning "any". No rows are written: a key set imported before this table has none, which reads
    /// as usable as before but never delivered in clear, until an operator sets a policy (`keys policy`).
    /// </summary>
    private const string KeySetPoliciesTable = """
        CREATE TABLE key_set_policies (
            key_set TEXT PRIMARY KEY,
            allowed_profiles TEXT,
            allowed_submitters TEXT,
            clear_delivery INTEGER NOT NULL DEFAULT 0,
            updated_at BIGINT NOT NULL
        );
        """;

    /// <summary>
    /// Asset generations: every claim of a job takes the next generation (never reused, not even by a released or retried
    /// job), and an attempt writes only under "asset/g{N}/". Assets published before this step keep their objects at the
    /// asset's root: generation 0 means exactly that layout.
    /// </summary>
    private const string Generations = """
        ALTER TABLE jobs ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
        UPDATE jobs SET generation = attempts;
        UPDATE assets SET generation = 0;
        """;

    /// <summary>Which generation of each asset is published, withdrawn or deleted (see SqlAssetDirectory). The unique
    /// index makes a repeated change_seq an error rather than a change some edge silently misses.</summary>
    private const string AssetsTable = """
        CREATE TABLE assets (
            asset_id TEXT PRIMARY KEY,
            state TEXT NOT NULL,
            generation INTEGER NOT NULL,
            change_seq BIGINT NOT NULL,
            changed_at BIGINT NOT NULL,
            require_token INTEGER NOT NULL DEFAULT 0,
            reason TEXT
        );
        CREATE UNIQUE INDEX assets_change_seq ON assets (change_seq);

        """;

    /// <summary>
    /// Part of the assets migration: every asset published before the table existed (a succeeded job whose outputs name
    /// itself, not an alias of another asset) becomes a published row of generation = attempts, with change_seq numbered
    /// after any rows present in the order the jobs finished. Idempotent. It numbers without the asset change lock: inside
    /// the migration the table is new and invisible to every other writer. outputs is camelCase web JSON that only the
    /// queue's serializer writes.
    /// </summary>
    internal const string AssetsBackfill = """
        INSERT INTO assets (asset_id, state, generation, change_seq, changed_at, require_token, reason)
        SELECT id, 'published', attempts,
               (SELECT COALESCE(MAX(change_seq), 0) FROM assets) + ROW_NUMBER() OVER (ORDER BY updated_at, id),
               updated_at, 0, NULL
        FROM jobs
        WHERE state = 'succeeded'
          AND outputs::jsonb ->> 'assetId' = id AND outputs::jsonb ->> 'aliasOf' IS NULL
          AND NOT EXISTS (SELECT 1 FROM assets a WHERE a.asset_id = jobs.id)
        ON CONFLICT (asset_id) DO NOTHING;
        """;

    public static int LatestVersion => Migrations.Length;

    /// <summary>Applies missing migrations; returns (from, to) versions.</summary>
    public static async Task<(int From, int To)> MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var db = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await db.BeginTransactionAsync(cancellationToken);
        await Exec(db, $"SELECT pg_advisory_xact_lock({MigrationLock})", cancellationToken);
        await Exec(db, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", cancellationToken);
        var current = await CurrentAsync(db, cancellationToken);
        for (var v = current; v < Migrations.Length; v++)
        {
            await Exec(db, Migrations[v], cancellationToken);
            await Exec(db, $"INSERT INTO schema_version (version) VALUES ({v + 1})", cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return (current, Migrations.Length);
    }

    public static async Task<int> VersionAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var db = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('schema_version') IS NOT NULL", db);
        return (bool)(await exists.ExecuteScalarAsync(cancellationToken))! ? await CurrentAsync(db, cancellationToken) : 0;
    }

    private static async Task<int> CurrentAsync(NpgsqlConnection db, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_version", db);
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task Exec(NpgsqlConnection db, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(sql, db);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
