using Microsoft.Extensions.Logging;
using Quartz;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Queue;

namespace TranscodeFarm.Worker.Maintenance;

/// <summary>
/// Deletes work folders left behind by jobs that ended while their worker was gone (a crash, a kill -9):
/// a folder whose job has ended, or no longer exists, and that nobody touched for an hour. Work folders are
/// local to each host, so this job runs in each host's own in-memory scheduler, not the cluster's.
/// </summary>
public sealed partial class PruneWorkFoldersJob(IJobQueue queue, FarmPaths paths, TimeProvider time, ILogger<PruneWorkFoldersJob> logger) : IJob
{
    private static readonly TimeSpan MinimumAge = TimeSpan.FromHours(1);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
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
}
