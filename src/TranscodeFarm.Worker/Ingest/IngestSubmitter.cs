using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Queue;
using TranscodeFarm.Worker.Jobs;

namespace TranscodeFarm.Worker.Ingest;

/// <summary>
/// Submits a claimed source and carries out the queue's part of <see cref="SubmitDecision"/> for every ingest kind: a
/// retry of a failed job takes the new copy as its source and runs again, and a submitted source it no longer needs is
/// released. Moving the copy (to done/ for a duplicate) is the ingest's own, as only it knows where its copies live.
/// </summary>
public sealed partial class IngestSubmitter(
    IJobQueue queue,
    SourceImporter importer,
    JobSignal signal,
    IOptions<WorkerOptions> worker,
    ILogger<IngestSubmitter> logger,
    SubmittedSources? submitted = null)
{
    public async Task<IngestResult> SubmitAsync(ClaimedSource source, CancellationToken cancellationToken)
    {
        var request = importer.Request(source.SourcePath, source.Name, source.Origin, source.Options, worker.Value.MaxAttempts, source.ContentHash);
        var result = await queue.SubmitAsync(request, cancellationToken);
        var outcome = SubmitDecision.Decide(result, source.SourcePath);
        var job = result.Job;
        switch (outcome)
        {
            case IngestOutcome.Submitted:
                LogSubmitted(logger, source.Name, job.Id, source.Options.Profile);
                break;
            case IngestOutcome.RetryOfFailed:
                await queue.UpdateSourceAsync(job.Id, source.SourcePath, source.Origin, cancellationToken);
                await queue.RetryAsync(job.Id, cancellationToken);
                if (submitted is not null)
                {
                    await submitted.ForgetAsync(job.SourcePath, job.Id, cancellationToken); // a submitted source it no longer needs
                }

                LogRetried(logger, source.Name, job.Id);
                break;
            case IngestOutcome.Duplicate:
                LogDuplicate(logger, source.Name, job.Id, job.State.ToWire());
                break;
        }

        if (outcome.MetricLabel() is { } label)
        {
            WorkerMetrics.IngestedFiles.WithLabels(label).Inc();
        }

        if (outcome.WakesWorkers())
        {
            signal.Notify();
        }

        return new IngestResult(outcome, job);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Submitted {Source} as job {JobId} with profile {Profile}")]
    private static partial void LogSubmitted(ILogger logger, string source, string jobId, string profile);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source} was dropped again after job {JobId} failed: retrying it")]
    private static partial void LogRetried(ILogger logger, string source, string jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source} is a duplicate of job {JobId} ({State}): moved to done/ without a new job")]
    private static partial void LogDuplicate(ILogger logger, string source, string jobId, string state);
}
