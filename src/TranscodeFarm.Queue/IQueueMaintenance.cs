namespace TranscodeFarm.Queue;

/// <summary>Housekeeping the scheduled maintenance jobs run against the queue.</summary>
public interface IQueueMaintenance
{
    /// <summary>Puts jobs whose worker stopped renewing its lease back in the queue (or dead-letters them); returns how many.</summary>
    Task<int> ReapExpiredLeasesAsync(CancellationToken cancellationToken);

    /// <summary>Deletes the history of jobs that ended before <paramref name="endedBefore"/> and registrations of long-silent workers.</summary>
    Task<int> PruneHistoryAsync(DateTimeOffset endedBefore, CancellationToken cancellationToken);
}
