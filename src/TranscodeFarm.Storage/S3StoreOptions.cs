namespace TranscodeFarm.Storage;

/// <summary>
/// An S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Cloudflare R2, ...). Credentials come from here
/// (configuration or TRANSCODEFARM__Store__AccessKey/SecretKey) or, when empty, from the standard AWS chain
/// (AWS_ACCESS_KEY_ID, profiles, instance roles). They are never logged.
/// </summary>
public sealed class S3StoreOptions
{
    public required string Bucket { get; init; }

    /// <summary>Key prefix inside the bucket ("" or "vod/").</summary>
    public string Prefix { get; init; } = "";

    /// <summary>Endpoint for non-AWS stores (http://127.0.0.1:7480); empty for AWS S3 itself.</summary>
    public string ServiceUrl { get; init; } = "";

    public string Region { get; init; } = "us-east-1";

    /// <summary>Path-style URLs (bucket in the path): needed by MinIO and Ceph RGW without wildcard DNS.</summary>
    public bool ForcePathStyle { get; init; } = true;

    public string AccessKey { get; init; } = "";
    public string SecretKey { get; init; } = "";

    /// <summary>Objects larger than this are uploaded in parts.</summary>
    public long MultipartThresholdBytes { get; init; } = 16L * 1024 * 1024;

    public long PartSizeBytes { get; init; } = 8L * 1024 * 1024;

    /// <summary>
    /// Objects larger than this are copied in parts (UploadPartCopy): one CopyObject is refused above 5 GiB. Lower only
    /// in tests, to run the multipart path on small objects (parts are at least 5 MiB, except the last).
    /// </summary>
    public long MultipartCopyThresholdBytes { get; init; } = S3Limits.MaxSingleCopyBytes;

    /// <summary>Size of each copied part (grown when an object would need more than 10,000 parts).</summary>
    public long CopyPartSizeBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>
    /// Keys taken as they are instead of checked against the asset key rule (<see cref="Core.Assets.ObjectKeys"/>):
    /// for the ingest prefix, where producers choose any name. An S3 key names no file, so there is nothing to
    /// escape; the filesystem store has no such mode.
    /// </summary>
    public bool AnyKeys { get; init; }

    /// <summary>Parses "s3://bucket/prefix/" (the Store:Url setting); other settings keep their values.</summary>
    public static (string Bucket, string Prefix) ParseUrl(string url)
    {
        if (!url.StartsWith("s3://", StringComparison.Ordinal))
        {
            throw new FormatException($"not an s3:// URL: '{url}'");
        }

        var rest = url["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..];
        if (bucket.Length is < 3 or > 63)
        {
            throw new FormatException($"bucket name '{bucket}' must be 3 to 63 characters");
        }

        return (bucket, prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/");
    }
}

/// <summary>Limits of the S3 API that the store works within.</summary>
public static class S3Limits
{
    public const long MaxSingleCopyBytes = 5L * 1024 * 1024 * 1024;
    public const long MinPartBytes = 5L * 1024 * 1024;
    public const int MaxParts = 10_000;
}
