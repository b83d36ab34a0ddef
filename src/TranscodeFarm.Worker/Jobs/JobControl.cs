using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Queue;
using TranscodeFarm.Worker.Ingest;

namespace TranscodeFarm.Worker.Jobs;

/// <summary>
/// An operator's retry and cancel, the same for `transcodefarm jobs retry|cancel` and the web console: the queue's own
/// operations, plus what they mean for a submitted source (decision 018).
/// </summary>
public sealed class JobControl(IJobQueue queue, SubmittedSources sources)
{
    /// <summary>Queues a failed, dead or cancelled job again. A failed or dead job kept its submitted source; a cancelled one
    /// let it go: that is said instead of queuing a job that can only fail with "the source is gone".</summary>
    public async Task<JobControlResult> RetryAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = await queue.GetAsync(jobId, cancellationToken);
        if (job is null)
        {
            return new(JobControlOutcome.NotFound, null, $"no job '{jobId}'");
        }

        if (job is { Origin: JobOrigin.Submit } && job.State.IsTerminal() && !await sources.ExistsAsync(job, cancellationToken))
        {
            return new(JobControlOutcome.SourceGone, job,
                $"job {jobId} ({job.State.ToWire()}): its submitted source is no longer in the store (a cancelled job lets it go): submit {job.SourceName} again with --force");
        }

        return await queue.RetryAsync(jobId, cancellationToken)
            ? new(JobControlOutcome.Done, await queue.GetAsync(jobId, cancellationToken), $"job {jobId}: queued again")
            : new(JobControlOutcome.WrongState, job, $"job {jobId} is not failed, dead or cancelled");
    }

    /// <summary>Cancels a queued job, or asks the worker of a running one to stop. A job cancelled before any worker took it
    /// is settled here (its submitted source let go): no worker will.</summary>
    public async Task<JobControlResult> CancelAsync(string jobId, CancellationToken cancellationToken)
    {
        if (!await queue.CancelAsync(jobId, cancellationToken))
        {
            var job = await queue.GetAsync(jobId, cancellationToken);
            return job is null
                ? new(JobControlOutcome.NotFound, null, $"no job '{jobId}'")
                : new(JobControlOutcome.WrongState, job, $"job {jobId} is not queued or running");
        }

        var now = await queue.GetAsync(jobId, cancellationToken);
        if (now is { State: JobState.Cancelled })
        {
            await sources.ReleaseAsync(now, cancellationToken);
        }

        return new(JobControlOutcome.Done, now, $"job {jobId}: cancel requested");
    }
}

public enum JobControlOutcome
{
    Done,
    NotFound,
    /// <summary>The job is not in a state the operation applies to.</summary>
    WrongState,
    /// <summary>A retry of a submitted job whose source is no longer kept.</summary>
    SourceGone,
}

/// <param name="Job">The job after the operation (or as it was when nothing changed); null when there is none.</param>
/// <param name="Message">One line for an operator.</param>
public sealed record JobControlResult(JobControlOutcome Outcome, JobRecord? Job, string Message);
