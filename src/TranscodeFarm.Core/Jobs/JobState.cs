namespace TranscodeFarm.Core.Jobs;

public enum JobState
{
    /// <summary>Waiting for a worker (also after a retryable failure, until its backoff ends).</summary>
    Queued,
    Running,
    Succeeded,
    /// <summary>Failed for a reason retrying cannot fix (bad input): kept with the reason.</summary>
    Failed,
    /// <summary>Retryable failures used up every attempt: dead letter, kept with the last error.</summary>
    Dead,
    Cancelled,
}

public static class JobStates
{
    public static bool IsTerminal(this JobState s) => s is JobState.Succeeded or JobState.Failed or JobState.Dead or JobState.Cancelled;

    public static string ToWire(this JobState s) => s.ToString().ToLowerInvariant();

    public static JobState Parse(string s) => Enum.Parse<JobState>(s, ignoreCase: true);
}
