namespace TranscodeFarm.Core.Jobs;

/// <summary>
/// The submit / duplicate / retry decision, written once for every ingest kind: given what the queue's idempotent
/// submit answered for a claimed source, what happens to it. The ingest then carries it out (the queue part in
/// <c>IngestSubmitter</c>, the file or object moves where its kind keeps them).
/// </summary>
public static class SubmitDecision
{
    /// <param name="result">The queue's answer to submitting the source (idempotent on content hash and profile).</param>
    /// <param name="claimedSourcePath">Where the ingest put the claimed copy: the path the submit named.</param>
    public static IngestOutcome Decide(SubmitResult result, string claimedSourcePath)
    {
        if (result.Created)
        {
            return IngestOutcome.Submitted;
        }

        if (result.Job.SourcePath == claimedSourcePath)
        {
            return IngestOutcome.AlreadySubmitted;
        }

        return result.Job.State is JobState.Failed or JobState.Dead or JobState.Cancelled
            ? IngestOutcome.RetryOfFailed
            : IngestOutcome.Duplicate;
    }

    /// <summary>Whether a job may now be claimable, so idle workers should look.</summary>
    public static bool WakesWorkers(this IngestOutcome outcome) => outcome is not IngestOutcome.Duplicate;

    /// <summary>The <c>ingested_files</c> metric label; null where nothing new happened.</summary>
    public static string? MetricLabel(this IngestOutcome outcome) => outcome switch
    {
        IngestOutcome.Submitted => "submitted",
        IngestOutcome.RetryOfFailed => "retried",
        IngestOutcome.Duplicate => "duplicate",
        _ => null,
    };
}
