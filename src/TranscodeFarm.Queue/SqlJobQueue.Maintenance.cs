using TranscodeFarm.Core.Jobs;

namespace TranscodeFarm.Queue;

public partial class SqlJobQueue : IQueueMaintenance
{
    public async Task<int> ReapExpiredLeasesAsync(CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var tx = await db.BeginTransactionAsync(cancellationToken);
        var now = await NowAsync(db, tx, cancellationToken);
        await using var select = Command(db, tx, "SELECT * FROM jobs WHERE state = 'running' AND lease_expires_at < @now " + ClaimLock, ("@now", now));
        var expired = await ReadJobsAsync(select, cancellationToken);
        var deadLettered = 0;
        foreach (var job in expired)
        {
            var why = $"lease of {job.LeaseOwner} expired: reaped by maintenance";
            if (job.CancelRequested)
            {
                await SetTerminalAsync(db, tx, now, job.Id, JobState.Cancelled, "cancelled by request (its worker stopped responding)", cancellationToken);
                continue;
            }

            if (job.Attempts >= job.MaxAttempts)
            {
                await SetTerminalAsync(db, tx, now, job.Id, JobState.Dead, $"worker {job.LeaseOwner} stopped responding on attempt {job.Attempts} of {job.MaxAttempts}", cancellationToken);
                deadLettered++;
                continue;
            }

            await ExecAsync(db, tx, cancellationToken, """
                UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL, not_before = @now, updated_at = @now, progress = NULL
                WHERE id = @id
                """, ("@now", now), ("@id", job.Id));
            await AddEventAsync(db, tx, now, job.Id, JobState.Queued, null, why, cancellationToken);
        }

        if (expired.Count > 0)
        {
            await JobsReadyAsync(db, tx, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        QueueMetrics.DeadLettered.Inc(deadLettered);
        return expired.Count;
    }

    public async Task<int> PruneHistoryAsync(DateTimeOffset endedBefore, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var tx = await db.BeginTransactionAsync(cancellationToken);
        var before = endedBefore.ToUnixTimeMilliseconds();
        // The job row stays (outputs, error, idempotency); its step-by-step history goes.
        var events = await ExecAsync(db, tx, cancellationToken, """
            DELETE FROM job_events WHERE job_id IN (
                SELECT id FROM jobs WHERE state IN ('succeeded', 'failed', 'dead', 'cancelled') AND updated_at < @before)
            """, ("@before", before));
        await ExecAsync(db, tx, cancellationToken, "DELETE FROM workers WHERE heartbeat_at < @before", ("@before", before));
        await tx.CommitAsync(cancellationToken);
        return events;
    }
}
