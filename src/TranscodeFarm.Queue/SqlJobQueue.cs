using System.Data.Common;
using System.Text.Json;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Database;

namespace TranscodeFarm.Queue;

/// <summary>
/// The queue's semantics in portable SQL over ADO.NET, on the farm database (SQLite embedded, PostgreSQL in a farm).
/// The database supplies connections, the row lock a claim takes and the NOTIFY that wakes waiting workers.
/// Times are Unix milliseconds (BIGINT) and flags integers, so the same statements run on both.
/// </summary>
public partial class SqlJobQueue(FarmDatabase database, QueueClock clock, QueueOptions options) : IJobQueue, IJobNotifications
{
    /// <summary>Committing a job that can be claimed notifies this channel.</summary>
    public const string Channel = "transcodefarm_jobs";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly QueueClock _clock = clock;
    private readonly QueueOptions _options = options;

    /// <summary>The database the queue lives in (tests and tools that build a queue by hand reach the other stores through it;
    /// hosts get <see cref="FarmDatabase"/> from DI).</summary>
    public FarmDatabase Database => database;

    private string RowLock => database.RowLock;

    /// <summary>Appended to the claim's SELECT: concurrent claimers skip rows another claim holds.</summary>
    private string ClaimLock => RowLock.Length == 0 ? "" : RowLock + " SKIP LOCKED";

    private string Greatest => database.Greatest;

    private Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => database.OpenAsync(cancellationToken);

    /// <summary>Where the queue lives, for logs and `transcodefarm workers` (never credentials).</summary>
    public string Describe => database.Describe;

    /// <summary>Applies missing schema migrations; returns the versions before and after.</summary>
    public Task<(int From, int To)> MigrateAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    /// <summary>Calls <paramref name="onJobsReady"/> for every notification, and once after each (re)connect for anything
    /// submitted while not listening, until cancelled. On SQLite: once, then nothing (workers poll).</summary>
    public Task ListenAsync(Action onJobsReady, CancellationToken cancellationToken) =>
        database.ListenAsync(Channel, _ => onJobsReady(), onJobsReady, cancellationToken);

    /// <summary>Called inside a transaction that made a job claimable: wakes waiting workers at commit.</summary>
    private Task JobsReadyAsync(DbConnection db, DbTransaction tx, CancellationToken cancellationToken) =>
        database.NotifyAsync(db, tx, Channel, "", cancellationToken);

    public async Task<SubmitResult> SubmitAsync(JobRequest request, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var tx = await db.BeginTransactionAsync(cancellationToken);
        var id = JobIds.New();
        var now = await NowAsync(db, tx, cancellationToken);
        var key = request.Force ? $"{request.IdempotencyKey}:forced:{id}" : request.IdempotencyKey;
        // ON CONFLICT makes concurrent submissions of the same content safe on both databases.
        var inserted = await ExecAsync(db, tx, cancellationToken, """
            INSERT INTO jobs (id, idempotency_key, source_path, source_name, profile, origin, title, priority, state,
                              attempts, max_attempts, created_at, updated_at, not_before, cancel_requested, required_capability, drm, require_token)
            VALUES (@id, @key, @path, @name, @profile, @origin, @title, @priority, 'queued', 0, @max, @now, @now, @now, 0, @cap, @drm, @token)
            ON CONFLICT (idempotency_key) DO NOTHING
            """,
            ("@id", id), ("@key", key), ("@path", request.SourcePath), ("@name", request.SourceName),
            ("@profile", request.Profile), ("@origin", request.Origin.ToString()), ("@title", request.Title),
            ("@priority", request.Priority), ("@max", Math.Max(1, request.MaxAttempts)), ("@now", now), ("@cap", request.RequiredCapability),
            ("@drm", request.Drm is null ? null : JsonSerializer.Serialize(request.Drm, Json)), ("@token", request.RequireToken ? 1 : 0));
        if (inserted == 0)
        {
            var existing = await FindByKeyAsync(db, tx, key, cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return new SubmitResult(existing!, Created: false);
        }

        await AddEventAsync(db, tx, now, id, JobState.Queued, null, "submitted", cancellationToken);
        await JobsReadyAsync(db, tx, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        // Committed: the read-back must not be cancelled, or the caller would lose track of a job that exists.
        return new SubmitResult((await GetAsync(id, CancellationToken.None))!, Created: true);
    }

    public async Task<JobRecord?> ClaimAsync(string workerId, IReadOnlyCollection<string> capabilities, TimeSpan lease, CancellationToken cancellationToken)
    {
        // A job that needs a capability (an encoder, a GPU) is only claimed by a worker that has it.
        var caps = capabilities.Select((c, i) => ($"@cap{i}", (object?)c)).ToArray();
        var capabilityFilter = caps.Length == 0
            ? "required_capability IS NULL"
            : $"(required_capability IS NULL OR required_capability IN ({string.Join(", ", caps.Select(c => c.Item1))}))";
        // A job from the S3 ingest prefix also needs a worker that can fetch its source (JobCapabilities: implied by the origin).
        if (!capabilities.Contains(JobCapabilities.IngestS3))
        {
            capabilityFilter += $" AND origin <> '{JobOrigin.S3Prefix}'";
        }

        await using var db = await OpenAsync(cancellationToken);
        await using var tx = await db.BeginTransactionAsync(cancellationToken);
        var now = await NowAsync(db, tx, cancellationToken);
        var deadLettered = 0; // counted once the transaction that made them holds
        while (true)
        {
            var job = await QuerySingleAsync(db, tx, cancellationToken, $"""
                SELECT * FROM jobs
                WHERE ((state = 'queued' AND not_before <= @now) OR (state = 'running' AND lease_expires_at < @now))
                  AND {capabilityFilter}
                ORDER BY priority DESC, created_at, id
                LIMIT 1
                {ClaimLock}
                """, [("@now", now), .. caps]);
            if (job is null)
            {
                await tx.CommitAsync(cancellationToken); // keeps any dead-lettering done above
                QueueMetrics.DeadLettered.Inc(deadLettered);
                return null;
            }

            if (job.State == JobState.Running && job.CancelRequested)
            {
                await SetTerminalAsync(db, tx, now, job.Id, JobState.Cancelled, "cancelled by request (its worker stopped responding)", cancellationToken);
                continue;
            }

            if (job.State == JobState.Running && job.Attempts >= job.MaxAttempts)
            {
                // Its worker died on the last allowed attempt: dead-letter instead of crashing another worker.
                await SetTerminalAsync(db, tx, now, job.Id, JobState.Dead, $"worker {job.LeaseOwner} stopped responding on attempt {job.Attempts} of {job.MaxAttempts}", cancellationToken);
                deadLettered++;
                continue;
            }

            var reclaimed = job.State == JobState.Running;
            var expires = now + (long)lease.TotalMilliseconds;
            await ExecAsync(db, tx, cancellationToken, """
                UPDATE jobs SET state = 'running', attempts = attempts + 1, generation = generation + 1, lease_owner = @w,
                                lease_expires_at = @exp, updated_at = @now, progress = NULL
                WHERE id = @id
                """, ("@w", workerId), ("@exp", expires), ("@now", now), ("@id", job.Id));
            await AddEventAsync(db, tx, now, job.Id, JobState.Running, workerId,
                reclaimed ? $"reclaimed after the lease of {job.LeaseOwner} expired" : "claimed", cancellationToken);
            await tx.CommitAsync(cancellationToken);
            QueueMetrics.DeadLettered.Inc(deadLettered);
            // The row as the UPDATE left it, without reading it back (one round trip less per claim).
            return job with
            {
                State = JobState.Running,
                Attempts = job.Attempts + 1,
                Generation = job.Generation + 1,
                LeaseOwner = workerId,
                LeaseExpiresAt = FromMs(expires),
                UpdatedAt = FromMs(now),
                Progress = null,
                Reclaimed = reclaimed,
            };
        }
    }

    public async Task<LeaseStatus> RenewLeaseAsync(string jobId, string workerId, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var tx = await db.BeginTransactionAsync(cancellationToken);
        var now = await NowAsync(db, tx, cancellationToken);
        var updated = await ExecAsync(db, tx, cancellationToken,
            "UPDATE jobs SET lease_expires_at = @exp WHERE id = @id AND lease_owner = @w AND state = 'running'",
            ("@exp", now + (long)lease.TotalMilliseconds), ("@id", jobId), ("@w", workerId));
        var cancel = updated > 0 && Convert.ToInt64(await ScalarAsync(db, tx, cancellationToken, "SELECT cancel_requested FROM jobs WHERE id = @id", ("@id", jobId)), System.Globalization.CultureInfo.InvariantCulture) != 0;
        await tx.CommitAsync(cancellationToken);
        return updated == 0 ? LeaseStatus.Lost : cancel ? LeaseStatus.CancelRequested : LeaseStatus.Renewed;
    }

    public async Task ReportProgressAsync(string jobId, string workerId, JobProgress progress, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await ExecAsync(db, null, cancellationToken,
            "UPDATE jobs SET progress = @p WHERE id = @id AND lease_owner = @w AND state = 'running'",
            ("@p", JsonSerializer.Serialize(progress, Json)), ("@id", jobId), ("@w", workerId));
    }

    public async Task<bool> CompleteAsync(string jobId, string workerId, JobOutputs outputs, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var tx = await db.BeginTransactionAsync(cancellationToken);
        var now = await NowAsync(db, tx, cancellationToken);
        var n = await ExecAsync(db, tx, cancellationToken, """
            UPDATE jobs SET state = 'succeeded', outputs = @o, error = NULL, lease_owner = NULL, lease_expires_at = NULL,
                            updated_at = @now, progress = @p
            WHERE id = @id AND lease_owner = @w AND state = 'running'
            """,
            ("@o", JsonSerializer.Serialize(outputs, Json)), ("@now", now), ("@id", jobId), ("@w", workerId),
            ("@p", JsonSerializer.Serialize(new JobProgress(PipelineStage.Done, 1, null), Json)));
        if (n > 0)
        {
            await AddEventAsync(db, tx, now, jobId, JobState.Succeeded, workerId, null, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return n > 0;
    }

    public async Task<JobState?> FailAsync(string jobId, string workerId, string error, bool retryable, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var tx = await db.BeginTransactionAsync(cancellationToken);
        var job = await QuerySingleAsync(db, tx, cancellationToken, "SELECT * FROM jobs WHERE id = @id AND lease_owner = @w AND state = 'running' " + RowLock, ("@id", jobId), ("@w", workerId));
        if (job is null)
        {
            return null;
        }

        var now = await NowAsync(db, tx, cancellationToken);
        var next = job.CancelRequested ? JobState.Cancelled : RetryPolicy.NextState(retryable, job.Attempts, job.MaxAttempts);
        if (next == JobState.Queued)
        {
            var delay = RetryPolicy.Backoff(job.Attempts, _options.RetryBaseDelay, _options.RetryMaxDelay);
            await ExecAsync(db, tx, cancellationToken, """
                UPDATE jobs SET state = 'queued', error = @e, lease_owner = NULL, lease_expires_at = NULL,
                                not_before = @nb, updated_at = @now
                WHERE id = @id
                """, ("@e", error), ("@nb", now + (long)delay.TotalMilliseconds), ("@now", now), ("@id", jobId));
            await AddEventAsync(db, tx, now, jobId, JobState.Queued, workerId, $"attempt {job.Attempts} failed, retry in {delay.TotalSeconds:0.#} s: {error}", cancellationToken);
        }
        else
        {
            await SetTerminalAsync(db, tx, now, jobId, next, error, cancellationToken, workerId);
        }

        await tx.CommitAsync(cancellationToken);
        if (next == JobState.Dead)
        {
            QueueMetrics.DeadLettered.Inc();
        }

        return next;
    }

    public async Task<bool> ReleaseAsync(string jobId, string workerId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var tx = await db.BeginTransactionAsync(cancellationToken);
        var now = await NowAsync(db, tx, cancellationToken);
        var n = await ExecAsync(db, tx, cancellationToken, $"""
            UPDATE jobs SET state = 'queued', attempts = {Greatest}(attempts - 1, 0), lease_owner = NULL, lease_expires_at = NULL,
                            not_before = @now, updated_at = @now, progress = NULL
            WHERE id = @id AND lease_owner = @w AND state = 'running'
            """, ("@now", now), ("@id", jobId), ("@w", workerId));
        if (n > 0)
        {
            await AddEventAsync(db, tx, now, jobId, JobState.Queued, workerId, "released by a worker shutting down", cancellationToken);
            await JobsReadyAsync(db, tx, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return n > 0;
    }

    public async Task<bool> CancelAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var tx = await db.BeginTransactionAsync(cancellationToken);
        var job = await QuerySingleAsync(db, tx, cancellationToken, "SELECT * FROM jobs WHERE id = @id " + RowLock, ("@id", jobId));
        var now = await NowAsync(db, tx, cancellationToken);
        var done = false;
        if (job?.State == JobState.Queued)
        {
            await SetTerminalAsync(db, tx, now, jobId, JobState.Cancelled, "cancelled before it started", cancellationToken);
            done = true;
        }
        else if (job?.State == JobState.Running)
        {
            await ExecAsync(db, tx, cancellationToken, "UPDATE jobs SET cancel_requested = 1, updated_at = @now WHERE id = @id", ("@now", now), ("@id", jobId));
            await AddEventAsync(db, tx, now, jobId, JobState.Running, null, "cancel requested", cancellationToken);
            done = true;
        }

        await tx.CommitAsync(cancellationToken);
        return done;
    }

    public async Task<bool> RetryAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var tx = await db.BeginTransactionAsync(cancellationToken);
        var now = await NowAsync(db, tx, cancellationToken);
        var n = await ExecAsync(db, tx, cancellationToken, """
            UPDATE jobs SET state = 'queued', attempts = 0, cancel_requested = 0, not_before = @now, updated_at = @now,
                            lease_owner = NULL, lease_expires_at = NULL, progress = NULL
            WHERE id = @id AND state IN ('failed', 'dead', 'cancelled')
            """, ("@now", now), ("@id", jobId));
        if (n > 0)
        {
            await AddEventAsync(db, tx, now, jobId, JobState.Queued, null, "retried by an operator", cancellationToken);
            await JobsReadyAsync(db, tx, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return n > 0;
    }

    public async Task UpdateSourceAsync(string jobId, string sourcePath, JobOrigin origin, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await ExecAsync(db, null, cancellationToken, "UPDATE jobs SET source_path = @p, origin = @o WHERE id = @id", ("@p", sourcePath), ("@o", origin.ToString()), ("@id", jobId));
    }

    public async Task UpdateSourcePathAsync(string jobId, string sourcePath, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await ExecAsync(db, null, cancellationToken, "UPDATE jobs SET source_path = @p WHERE id = @id", ("@p", sourcePath), ("@id", jobId));
    }

    public async Task<bool> IsSourceHeldAsync(string sourcePath, string exceptJobId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var held = await ScalarAsync(db, null, cancellationToken, """
            SELECT COUNT(*) FROM jobs WHERE source_path = @p AND id <> @id AND state NOT IN ('succeeded', 'cancelled')
            """, ("@p", sourcePath), ("@id", exceptJobId));
        return Convert.ToInt64(held, System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    public async Task<JobRecord?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await QuerySingleAsync(db, null, cancellationToken, "SELECT * FROM jobs WHERE id = @id", ("@id", jobId));
    }

    public async Task<JobRecord?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await FindByKeyAsync(db, null, idempotencyKey, cancellationToken);
    }

    public async Task<IReadOnlyList<JobRecord>> ListAsync(JobState? state, int limit, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var cmd = Command(db, null, state is null
            ? "SELECT * FROM jobs ORDER BY created_at DESC, id LIMIT @limit"
            : "SELECT * FROM jobs WHERE state = @state ORDER BY created_at DESC, id LIMIT @limit",
            ("@limit", limit), ("@state", state?.ToWire()));
        return await ReadJobsAsync(cmd, cancellationToken);
    }

    public async Task<IReadOnlyList<JobEvent>> EventsAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var cmd = Command(db, null, "SELECT job_id, at, state, worker_id, message FROM job_events WHERE job_id = @id ORDER BY seq", ("@id", jobId));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        var events = new List<JobEvent>();
        while (await r.ReadAsync(cancellationToken))
        {
            events.Add(new JobEvent(r.GetString(0), FromMs(r.GetInt64(1)), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)));
        }

        return events;
    }

    public async Task<IReadOnlyDictionary<int, int>> QueuedByPriorityAsync(CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var cmd = Command(db, null, "SELECT priority, COUNT(*) FROM jobs WHERE state = 'queued' GROUP BY priority");
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<int, int>();
        while (await r.ReadAsync(cancellationToken))
        {
            counts[Convert.ToInt32(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)] = Convert.ToInt32(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        }

        return counts;
    }

    /// <summary>One row at most from the jobs table: the database answers and the schema is there.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var cmd = Command(db, null, "SELECT 1 FROM jobs LIMIT 1");
        await cmd.ExecuteScalarAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<JobState, int>> CountByStateAsync(CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var cmd = Command(db, null, "SELECT state, COUNT(*) FROM jobs GROUP BY state");
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        var counts = Enum.GetValues<JobState>().ToDictionary(s => s, _ => 0);
        while (await r.ReadAsync(cancellationToken))
        {
            counts[JobStates.Parse(r.GetString(0))] = Convert.ToInt32(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        }

        return counts;
    }

    private async Task SetTerminalAsync(DbConnection db, DbTransaction tx, long now, string id, JobState state, string error, CancellationToken ct, string? workerId = null)
    {
        await ExecAsync(db, tx, ct, """
            UPDATE jobs SET state = @s, error = @e, lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
            WHERE id = @id
            """, ("@s", state.ToWire()), ("@e", error), ("@now", now), ("@id", id));
        await AddEventAsync(db, tx, now, id, state, workerId, error, ct);
    }

    private static async Task AddEventAsync(DbConnection db, DbTransaction tx, long now, string id, JobState state, string? workerId, string? message, CancellationToken ct) =>
        await ExecAsync(db, tx, ct, "INSERT INTO job_events (job_id, at, state, worker_id, message) VALUES (@id, @at, @s, @w, @m)",
            ("@id", id), ("@at", now), ("@s", state.ToWire()), ("@w", workerId), ("@m", message));

    private static async Task<JobRecord?> FindByKeyAsync(DbConnection db, DbTransaction? tx, string key, CancellationToken ct) =>
        await QuerySingleAsync(db, tx, ct, "SELECT * FROM jobs WHERE idempotency_key = @k", ("@k", key));

    private static async Task<JobRecord?> QuerySingleAsync(DbConnection db, DbTransaction? tx, CancellationToken ct, string sql, params (string, object?)[] ps)
    {
        await using var cmd = Command(db, tx, sql, ps);
        var jobs = await ReadJobsAsync(cmd, ct);
        return jobs.Count > 0 ? jobs[0] : null;
    }

    private static async Task<List<JobRecord>> ReadJobsAsync(DbCommand cmd, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var jobs = new List<JobRecord>();
        while (await r.ReadAsync(ct))
        {
            jobs.Add(new JobRecord
            {
                Id = r.GetString(r.GetOrdinal("id")),
                IdempotencyKey = r.GetString(r.GetOrdinal("idempotency_key")),
                SourcePath = r.GetString(r.GetOrdinal("source_path")),
                SourceName = r.GetString(r.GetOrdinal("source_name")),
                Profile = r.GetString(r.GetOrdinal("profile")),
                Origin = Enum.Parse<JobOrigin>(r.GetString(r.GetOrdinal("origin"))),
                Title = NullableString(r, "title"),
                Priority = r.GetInt32(r.GetOrdinal("priority")),
                State = JobStates.Parse(r.GetString(r.GetOrdinal("state"))),
                Attempts = r.GetInt32(r.GetOrdinal("attempts")),
                MaxAttempts = r.GetInt32(r.GetOrdinal("max_attempts")),
                CreatedAt = FromMs(r.GetInt64(r.GetOrdinal("created_at"))),
                UpdatedAt = FromMs(r.GetInt64(r.GetOrdinal("updated_at"))),
                NotBefore = FromMs(r.GetInt64(r.GetOrdinal("not_before"))),
                LeaseOwner = NullableString(r, "lease_owner"),
                LeaseExpiresAt = r.IsDBNull(r.GetOrdinal("lease_expires_at")) ? null : FromMs(r.GetInt64(r.GetOrdinal("lease_expires_at"))),
                CancelRequested = Convert.ToInt64(r.GetValue(r.GetOrdinal("cancel_requested")), System.Globalization.CultureInfo.InvariantCulture) != 0,
                Error = NullableString(r, "error"),
                Progress = NullableString(r, "progress") is { } p ? JsonSerializer.Deserialize<JobProgress>(p, Json) : null,
                Outputs = NullableString(r, "outputs") is { } o ? JsonSerializer.Deserialize<JobOutputs>(o, Json) : null,
                RequiredCapability = NullableString(r, "required_capability"),
                Drm = NullableString(r, "drm") is { } d ? JsonSerializer.Deserialize<Core.Drm.DrmSettings>(d, Json) : null,
                RequireToken = Convert.ToInt64(r.GetValue(r.GetOrdinal("require_token")), System.Globalization.CultureInfo.InvariantCulture) != 0,
                Generation = Convert.ToInt32(r.GetValue(r.GetOrdinal("generation")), System.Globalization.CultureInfo.InvariantCulture),
            });
        }

        return jobs;
    }

    private static string? NullableString(DbDataReader r, string column)
    {
        var i = r.GetOrdinal(column);
        return r.IsDBNull(i) ? null : r.GetString(i);
    }

    private static async Task<int> ExecAsync(DbConnection db, DbTransaction? tx, CancellationToken ct, string sql, params (string, object?)[] ps)
    {
        await using var cmd = Command(db, tx, sql, ps);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<object?> ScalarAsync(DbConnection db, DbTransaction? tx, CancellationToken ct, string sql, params (string, object?)[] ps)
    {
        await using var cmd = Command(db, tx, sql, ps);
        return await cmd.ExecuteScalarAsync(ct);
    }

    private static DbCommand Command(DbConnection db, DbTransaction? tx, string sql, params (string Name, object? Value)[] ps) =>
        FarmDatabase.Command(db, tx, sql, ps);

    /// <summary>Now on the queue's clock: the database's, read in the caller's transaction (see <see cref="QueueClock"/>).</summary>
    internal ValueTask<long> NowAsync(DbConnection db, DbTransaction? tx, CancellationToken cancellationToken) =>
        _clock.NowAsync(db, tx, database.NowSql, cancellationToken);

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
