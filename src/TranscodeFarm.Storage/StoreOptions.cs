namespace TranscodeFarm.Storage;

/// <summary>Store:* settings: where published assets go.</summary>
public sealed class StoreOptions
{
    public const string Section = "Store";

    /// <summary>Empty for the filesystem store in the data directory, or "s3://bucket/prefix/".</summary>
    public string Url { get; set; } = "";

    public string ServiceUrl { get; set; } = "";
    public string Region { get; set; } = "us-east-1";
    public bool ForcePathStyle { get; set; } = true;
    public string AccessKey { get; set; } = "";
    public string SecretKey { get; set; } = "";
    public long MultipartThresholdBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Server-side copies (S3 ingest) above this go in parts; 5 GiB, the most one CopyObject takes.</summary>
    public long MultipartCopyThresholdBytes { get; set; } = S3Limits.MaxSingleCopyBytes;

    /// <summary>Retries of a transient failure (throttling, 5xx, timeouts); backoff doubles from RetryBaseDelay with jitter.</summary>
    public int MaxRetries { get; set; } = 6;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A worker creates the bucket when its store-write check finds it missing (first start of a farm). Off by default: a
    /// missing bucket is then reported (start-up log, <c>/healthz</c>) with the command that creates it, <c>store init</c>.
    /// </summary>
    public bool CreateBucket { get; set; }

    public bool IsS3 => Url.StartsWith("s3://", StringComparison.Ordinal);

    public S3StoreOptions ToS3()
    {
        var (bucket, prefix) = S3StoreOptions.ParseUrl(Url);
        return On(bucket, prefix, anyKeys: false);
    }

    /// <summary>The same endpoint, credentials and part sizes on another bucket, with whole keys taken as producers wrote
    /// them (the S3 ingest prefix): one mapping, so the ingest never drifts from the store's settings.</summary>
    public S3StoreOptions ForBucket(string bucket) => On(bucket, "", anyKeys: true);

    private S3StoreOptions On(string bucket, string prefix, bool anyKeys) =>
        new()
        {
            Bucket = bucket,
            Prefix = prefix,
            AnyKeys = anyKeys,
            ServiceUrl = ServiceUrl,
            Region = Region,
            ForcePathStyle = ForcePathStyle,
            AccessKey = AccessKey,
            SecretKey = SecretKey,
            MultipartThresholdBytes = MultipartThresholdBytes,
            MultipartCopyThresholdBytes = MultipartCopyThresholdBytes,
        };

    // Credentials must never reach a log line, even through a debugger display or a serialized options dump.
    public override string ToString() => $"Store {{ Url = {Url}, ServiceUrl = {ServiceUrl}, Region = {Region}, CreateBucket = {CreateBucket} }}";
}
