namespace TranscodeFarm.Queue;

public sealed class QueueOptions
{
    public const string Section = "Queue";

    /// <summary>Empty for the embedded SQLite database, or a PostgreSQL URL / connection string (farm mode).</summary>
    public string Url { get; set; } = "";

    /// <summary>Apply missing schema migrations at start; when false a host refuses to start on an old schema.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>First retry delay; doubles with each attempt.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);
}
