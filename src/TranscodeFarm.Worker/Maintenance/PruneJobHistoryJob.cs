using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using TranscodeFarm.Queue;

namespace TranscodeFarm.Worker.Maintenance;

/// <summary>Deletes the step-by-step history of jobs that ended longer ago than Maintenance:HistoryRetention.</summary>
public sealed partial class PruneJobHistoryJob(IQueueMaintenance maintenance, IOptions<MaintenanceOptions> options, TimeProvider time, ILogger<PruneJobHistoryJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var pruned = await maintenance.PruneHistoryAsync(time.GetUtcNow() - options.Value.HistoryRetention, cancellationToken);
        LogPruned(logger, pruned);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} job history event(s)")]
    private static partial void LogPruned(ILogger logger, int count);
}
