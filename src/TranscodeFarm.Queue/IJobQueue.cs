using TranscodeFarm.Core.Jobs;

namespace TranscodeFarm.Queue;

/// <summary>
/// The durable job queue. Semantics every implementation keeps (SQLite now, PostgreSQL in a farm):
/// a claim takes the highest-priority ready job under a lease; the worker renews the lease while it works;
/// a job whose lease expired is claimable again (its worker died); failures are retried with exponential
/// backoff until <see cref="JobRecord.MaxAttempts"/>, then dead-lettered; submission is idempotent on
/// content hash + profile.
/// </summary>
public interface IJobQueue
{
    Task<SubmitResult> SubmitAsync(JobRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the next ready job for <paramref name="workerId"/> among those whose required capability is in
    /// <paramref name="capabilities"/> (or that need none); null when none is ready.
    /// </summary>
    Task<JobRecord?> ClaimAsync(string workerId, IReadOnlyCollection<string> capabilities, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Claims a job that needs no special capability.</summary>
    Task<JobRecord?> ClaimAsync(string workerId, TimeSpan lease, CancellationToken cancellationToken) =>
        ClaimAsync(workerId, [], lease, cancellationToken);

    /// <summary>Extends the lease; tells the worker when it lost the job or the job was cancelled.</summary>
    Task<LeaseStatus> RenewLeaseAsync(string jobId, string workerId, TimeSpan lease, CancellationToken cancellationToken);

    Task ReportProgressAsync(string jobId, string workerId, JobProgress progress, CancellationToken cancellationToken);

    /// <summary>Marks the job succeeded; false if this worker no longer holds it.</summary>
    Task<bool> CompleteAsync(string jobId, string workerId, JobOutputs outputs, CancellationToken cancellationToken);

    /// <summary>Records a failure; returns the state the job moved to (queued again, failed, dead or cancelled).</summary>
    Task<JobState?> FailAsync(string jobId, string workerId, string error, bool retryable, CancellationToken cancellationToken);

    /// <summary>Gives a running job back without counting the attempt (graceful shutdown).</summary>
    Task<bool> ReleaseAsync(string jobId, string workerId, CancellationToken cancellationToken);

    /// <summary>Cancels a queued job at once; asks the worker of a running job to stop.</summary>
    Task<bool> CancelAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Queues a failed, dead or cancelled job again with fresh attempts.</summary>
    Task<bool> RetryAsync(string jobId, CancellationToken cancellationToken);

    Task UpdateSourcePathAsync(string jobId, string sourcePath, CancellationToken cancellationToken);

    /// <summary>Whether a job other than <paramref name="exceptJobId"/> names this source and may still need it (any state
    /// but succeeded or cancelled): a submitted source is one object per content, shared by every job of that content.</summary>
    Task<bool> IsSourceHeldAsync(string sourcePath, string exceptJobId, CancellationToken cancellationToken);

    /// <summary>The same content arrived again by another way (a drop-folder file, an S3 object) to retry a failed job:
    /// the job now takes its source from there, and that way decides where the source goes when the job ends.</summary>
    Task UpdateSourceAsync(string jobId, string sourcePath, JobOrigin origin, CancellationToken cancellationToken);

    Task<JobRecord?> GetAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>The job submitted for this content and profile (see <see cref="JobRequest.IdempotencyKey"/>), if any.</summary>
    Task<JobRecord?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken);

    Task<IReadOnlyList<JobRecord>> ListAsync(JobState? state, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<JobEvent>> EventsAsync(string jobId, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<JobState, int>> CountByStateAsync(CancellationToken cancellationToken);

    /// <summary>Queued jobs per priority (queue depth as operators graph it).</summary>
    Task<IReadOnlyDictionary<int, int>> QueuedByPriorityAsync(CancellationToken cancellationToken);

    /// <summary>Throws when the database does not answer a trivial query (health checks).</summary>
    Task PingAsync(CancellationToken cancellationToken) => CountByStateAsync(cancellationToken);
}

public enum LeaseStatus
{
    Renewed,
    /// <summary>Another worker took the job (this lease expired) or it ended: stop without reporting.</summary>
    Lost,
    /// <summary>Someone asked to cancel: stop the work and report the cancellation.</summary>
    CancelRequested,
}
