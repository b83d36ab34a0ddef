using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Storage;
using TranscodeFarm.Worker.Ingest;

namespace TranscodeFarm.Worker.Maintenance;

/// <summary>
/// Scans the S3 ingest prefix on a schedule. In a farm the clustered scheduler runs one scan at a time; the
/// claim protocol (same processing key for every scanner + idempotent submit) keeps it exactly-once even without.
/// The scanner reads each claimed object once to hash it (the dedup key is the content, not the ETag).
/// </summary>
public sealed partial class ScanS3IngestJob(
    S3Ingest ingest,
    IngestSubmitter submitter,
    IOptions<FarmOptions> farm,
    IOptions<IngestOptions> ingestOptions,
    TimeProvider time,
    ILogger<ScanS3IngestJob> logger) : IJob
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

        // The bytes' SHA-256, as the drop folder submits: an ETag is no content hash for multipart or SSE-KMS uploads.
        var hash = await location.HashAsync(source, cancellationToken);
        var result = await submitter.SubmitAsync(
            new ClaimedSource(source, name, hash, JobOrigin.S3Prefix, new SourceOptions(farm.Value.DefaultProfile)), cancellationToken);
        if (result.Outcome == IngestOutcome.Duplicate)
        {
            await location.MoveToDoneAsync(source, name, cancellationToken);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ingest {Object}: moving it to failed/")]
    private static partial void LogObjectFailed(ILogger logger, string @object, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not move {Object} to failed/: left for the next scan")]
    private static partial void LogRejectFailed(ILogger logger, string @object, Exception exception);
}
