namespace TranscodeFarm.Core.Jobs;

/// <summary>Exponential backoff between attempts of a job that failed for a retryable reason.</summary>
public static class RetryPolicy
{
    public static TimeSpan Backoff(int attemptsSoFar, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var exponent = Math.Clamp(attemptsSoFar - 1, 0, 20);
        var delay = baseDelay.TotalMilliseconds * Math.Pow(2, exponent);
        return TimeSpan.FromMilliseconds(Math.Min(delay, maxDelay.TotalMilliseconds));
    }

    /// <summary>What a failure leads to: another attempt later, or a terminal state.</summary>
    public static JobState NextState(bool retryable, int attemptsSoFar, int maxAttempts) =>
        !retryable ? JobState.Failed : attemptsSoFar >= maxAttempts ? JobState.Dead : JobState.Queued;
}
