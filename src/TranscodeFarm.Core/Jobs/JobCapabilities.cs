namespace TranscodeFarm.Core.Jobs;

/// <summary>
/// Capabilities a job needs because of where its source is, not what it is encoded with. They are implied by the job's
/// origin, never stored in <c>required_capability</c> (which holds the profile's encoder), so a job can need both.
/// </summary>
public static class JobCapabilities
{
    /// <summary>The worker can read objects of the S3 ingest prefix: it has Ingest:S3Url or an S3 store (same endpoint and keys).</summary>
    public const string IngestS3 = "ingest:s3";

    /// <summary>The capability a job of this origin needs from its worker, or null.</summary>
    public static string? ForOrigin(JobOrigin origin) => origin == JobOrigin.S3Prefix ? IngestS3 : null;
}
