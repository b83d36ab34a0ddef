namespace TranscodeFarm.Queue;

public sealed class QueueOptions
{
    public const string Section = "Queue";

    /// <summary>First retry delay; doubles with each attempt.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);
}
