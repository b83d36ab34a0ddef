using Prometheus;

namespace TranscodeFarm.Queue;

/// <summary>What the queue itself decides, counted where it decides it (whichever host's call made the change).</summary>
public static class QueueMetrics
{
    /// <summary>
    /// Every way a job reaches dead letter: its last attempt failed (<see cref="SqlJobQueue.FailAsync"/>), or its worker
    /// stopped responding on its last attempt and a claim or the lease reaper found it. Counting only the first, as the
    /// worker once did, hid every job whose worker crashed on it from the dead-letter alert.
    /// </summary>
    public static readonly Counter DeadLettered = Metrics.CreateCounter(
        "transcodefarm_jobs_dead_lettered_total",
        "Jobs this host moved to dead letter: their last attempt failed, or their worker stopped responding on it.");
}
