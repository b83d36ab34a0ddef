namespace TranscodeFarm.Worker;

public sealed class FarmOptions
{
    public const string Section = "Farm";

    /// <summary>Everything embedded mode keeps: queue database, object store, drop folder, work files.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Folder of profile JSON files; empty means the ffmpeg-profiles folder shipped with the program.</summary>
    public string ProfilesDirectory { get; set; } = "";

    public string DefaultProfile { get; set; } = "h264-cmaf";
}

public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>Jobs run at once on this host. Each runs one ffmpeg process that uses every core it can.</summary>
    public int Slots { get; set; } = 1;

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    public int MaxAttempts { get; set; } = 3;

    /// <summary>On SIGTERM, how long a running job may go on before it is released for another worker.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Comma-separated capabilities ("encoder:libx264,encoder:h264_nvenc,gpu"); empty means detect at start.</summary>
    public string Capabilities { get; set; } = "";

    /// <summary>Uploads in flight at once while publishing an asset.</summary>
    public int PublishConcurrency { get; set; } = 4;

    /// <summary>
    /// The encode also emits the content fingerprint (decision 012), published with the asset as fingerprint.json,
    /// fingerprint.bin and audio.fp. It rides on the encode's one decode of the source.
    /// </summary>
    public bool Fingerprint { get; set; } = true;
}

public sealed class IngestOptions
{
    public const string Section = "Ingest";

    public bool Enabled { get; set; } = true;

    /// <summary>Drop folder; empty means "drop" under the data directory.</summary>
    public string DropFolder { get; set; } = "";

    /// <summary>A file is taken once its size and modification time have not changed for this long; a file renamed into
    /// its name inside the drop folder (written as "x.mp4.part", then renamed) is taken at once.</summary>
    public TimeSpan StableFor { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>An S3 prefix to ingest from ("s3://bucket/incoming/"), reached with the Store:* endpoint and credentials.</summary>
    public string S3Url { get; set; } = "";

    public TimeSpan S3ScanInterval { get; set; } = TimeSpan.FromSeconds(5);
}
