namespace TranscodeFarm.Core.Jobs;

/// <summary>What became of a source an ingest (drop folder, S3 prefix) claimed and submitted.</summary>
public enum IngestOutcome
{
    /// <summary>A new job for it.</summary>
    Submitted,

    /// <summary>The job already names this very claimed copy: a crash came between the submit and the ingest's own
    /// record of it, or another scanner claimed the same object at the same moment. Nothing to do.</summary>
    AlreadySubmitted,

    /// <summary>The same content and profile failed (or was cancelled) before: dropping it again means "try again", so the
    /// old job takes this copy as its source and runs again.</summary>
    RetryOfFailed,

    /// <summary>The same content and profile is queued, running or done: no new job; the copy is settled as done.</summary>
    Duplicate,
}
