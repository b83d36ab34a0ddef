using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Queue;
using TranscodeFarm.Worker.Ingest;
using TranscodeFarm.Worker.Jobs;

namespace TranscodeFarm.Worker.Maintenance;

/// <summary>
/// Scans the S3 ingest prefix on a schedule. In a farm the clustered scheduler runs one scan at a time; the
/// claim protocol (same processing key for every scanner + idempotent submit) keeps it exactly-once even without.
/// </summary>
public sealed partial class ScanS3IngestJob(
    S3Ingest ingest,
    IJobQueue queue,
    ProfileCatalog profiles,
    JobSignal signal,
    IOptions<FarmOptions> farm,
    IOptions<IngestOptions> ingestOptions,
    IOptions<WorkerOptions> worker,
    TimeProvider time,
    ILogger<ScanS3IngestJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (ingest.Location is not { } location)
        {
            return;
        }

        var profile = farm.Value.DefaultProfile;
        foreach (var o in await location.ReadyObjectsAsync(time.GetUtcNow(), ingestOptions.Value.StableFor, cancellationToken))
        {
            var name = o.Key[(o.Key.LastIndexOf('/') + 1)..];
            var source = await location.ClaimAsync(o, cancellationToken);
            if (source is null)
            {
                continue;
            }

            var result = await queue.SubmitAsync(new JobRequest
            {
                SourcePath = source,
                SourceName = name,
                ContentHash = "s3-etag-" + o.ETag.Trim('"'),
                Profile = profile,
                Origin = JobOrigin.S3Prefix,
                MaxAttempts = worker.Value.MaxAttempts,
                RequiredCapability = profiles.RequiredCapability(profile),
            }, cancellationToken);
            if (result.Created)
            {
                WorkerMetrics.IngestedFiles.WithLabels("submitted").Inc();
                LogSubmitted(logger, location.Describe + name, result.Job.Id);
                signal.Notify();
            }
            else if (result.Job.SourcePath == source)
            {
                // Another scanner claimed the same object at the same moment: its job is this one.
            }
            else if (result.Job.State is JobState.Failed or JobState.Dead or JobState.Cancelled)
            {
                await queue.UpdateSourcePathAsync(result.Job.Id, source, cancellationToken);
                await queue.RetryAsync(result.Job.Id, cancellationToken);
                signal.Notify();
            }
            else
            {
                await location.MoveToDoneAsync(source, name, cancellationToken);
                WorkerMetrics.IngestedFiles.WithLabels("duplicate").Inc();
            }

            await location.ReleaseOriginalAsync(o, CancellationToken.None); // the job (or its duplicate's) holds the copy now
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Submitted {Object} as job {JobId}")]
    private static partial void LogSubmitted(ILogger logger, string @object, string jobId);
}
