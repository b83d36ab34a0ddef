using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Queue;

namespace TranscodeFarm.Worker.Jobs;

/// <summary>
/// Deletes work folders left behind by jobs that ended while their worker was gone (a crash, a kill -9):
/// a folder whose job has ended, or no longer exists, and that nobody touched for an hour.
/// </summary>
public sealed partial class WorkFolderPruningService(IJobQueue queue, FarmPaths paths, TimeProvider time, ILogger<WorkFolderPruningService> logger) : BackgroundService
{
    private static readonly TimeSpan MinimumAge = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                await PruneAsync(stoppingToken);
            }
            catch (IOException ex)
            {
                LogPruneFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task PruneAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(paths.Work))
        {
            return;
        }

        foreach (var folder in new DirectoryInfo(paths.Work).EnumerateDirectories())
        {
            if (time.GetUtcNow() - folder.LastWriteTimeUtc < MinimumAge)
            {
                continue;
            }

            var job = await queue.GetAsync(folder.Name, cancellationToken);
            if (job is null || job.State.IsTerminal())
            {
                folder.Delete(recursive: true);
                LogPruned(logger, folder.Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned the work folder of job {JobId}")]
    private static partial void LogPruned(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning work folders failed")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
