using Microsoft.Extensions.Logging;
using Quartz;
using TranscodeFarm.Queue;

namespace TranscodeFarm.Worker.Maintenance;

/// <summary>
/// Puts jobs of dead workers back in the queue as soon as their lease expires, so they show as queued (not
/// "running" forever) and idle workers are notified. Claims also take expired jobs; this makes it visible.
/// </summary>
public sealed partial class ReapExpiredLeasesJob(IQueueMaintenance maintenance, ILogger<ReapExpiredLeasesJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var reaped = await maintenance.ReapExpiredLeasesAsync(cancellationToken);
        if (reaped > 0)
        {
            WorkerMetrics.LeasesReclaimed.Inc(reaped);
            LogReaped(logger, reaped, context.Scheduler.SchedulerInstanceId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reaped {Count} job(s) whose worker stopped renewing its lease (on node {Node})")]
    private static partial void LogReaped(ILogger logger, int count, string node);
}
