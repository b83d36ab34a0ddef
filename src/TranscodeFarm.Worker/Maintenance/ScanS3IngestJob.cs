using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Queue;
using TranscodeFarm.Storage;
using TranscodeFarm.Worker.Ingest;
using TranscodeFarm.Worker.Jobs;

namespace TranscodeFarm.Worker.Maintenance;

/// <summary>
/// Scans the S3 ingest prefix on a schedule. In a farm the clustered scheduler runs one scan at a time; the
/// claim protocol (same processing key for every scanner + idempotent submit) keeps it exactly-once even without.
/// The scanner reads each claimed object once to hash it (the dedup key is the content, not the ETag).
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
    ILogger<ScanS3IngestJob> logger,
    SubmittedSources? submitted = null) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (ingest.Location is not { } location)
        {
            return;
        }

        foreach (var o in await location.ReadyObjectsAsync(time.GetUtcNow(), ingestOptions.Value.StableFor, cancellationToken))
        {
            // One object at a time, each on its own: a failure (after the store's retries) is that object's, written
            // next to it in failed/, and the scan goes on with the next.
            try
            {
                await IngestAsync(location, o, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogObjectFailed(logger, location.Describe + location.NameOf(o), ex);
                await RejectAsync(location, o, ex, cancellationToken);
            }
        }
    }

    private async Task IngestAsync(S3IngestLocation location, ObjectInfo o, CancellationToken cancellationToken)
    {
        var name = location.NameOf(o);
        var source = await location.ClaimAsync(o, cancellationToken);
        if (source is null)
        {
            return;
        }

        var profile = farm.Value.DefaultProfile;
        var result = await queue.SubmitAsync(new JobRequest
        {
            SourcePath = source,
            SourceName = name,
            // The bytes' SHA-256, as the drop folder submits: an ETag is no content hash for multipart or SSE-KMS uploads.
            ContentHash = await location.HashAsync(source, cancellationToken),
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
            await queue.UpdateSourceAsync(result.Job.Id, source, JobOrigin.S3Prefix, cancellationToken);
            await queue.RetryAsync(result.Job.Id, cancellationToken);
            if (submitted is not null)
            {
                await submitted.ForgetAsync(result.Job.SourcePath, result.Job.Id, cancellationToken); // a submitted source it no longer needs
            }
            signal.Notify();
        }
        else
        {
            await location.MoveToDoneAsync(source, name, cancellationToken);
            WorkerMetrics.IngestedFiles.WithLabels("duplicate").Inc();
        }

        await location.ReleaseOriginalAsync(o, CancellationToken.None); // the job (or its duplicate's) holds the copy now
    }

    private async Task RejectAsync(S3IngestLocation location, ObjectInfo o, Exception failure, CancellationToken cancellationToken)
    {
        var name = location.NameOf(o);
        try
        {
            await location.RejectAsync(o, new ErrorReport(name, null, "rejected", "ingest failed: " + failure.Message, null, null, 0, time.GetUtcNow()), cancellationToken);
            WorkerMetrics.IngestedFiles.WithLabels("rejected").Inc();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRejectFailed(logger, location.Describe + name, ex); // the store is down: the object stays for the next scan
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Submitted {Object} as job {JobId}")]
    private static partial void LogSubmitted(ILogger logger, string @object, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ingest {Object}: moving it to failed/")]
    private static partial void LogObjectFailed(ILogger logger, string @object, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not move {Object} to failed/: left for the next scan")]
    private static partial void LogRejectFailed(ILogger logger, string @object, Exception exception);
}
