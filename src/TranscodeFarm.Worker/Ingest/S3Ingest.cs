using System.Collections.Concurrent;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Worker.Ingest;

/// <summary>
/// The S3 ingest location when Ingest:S3Url is set (this host scans it), else null; and the way to any S3-ingest job's
/// source: through that location, or, on a worker without Ingest:S3Url whose store is S3, through a location derived from
/// the job's own s3:// source path, reached with the store's endpoint and credentials (the ingest prefix uses them too).
/// </summary>
public sealed class S3Ingest(S3IngestLocation? location, StoreOptions? store = null, Action<int, Exception>? onRetry = null)
{
    private readonly ConcurrentDictionary<string, S3IngestLocation> _derived = new(StringComparer.Ordinal);

    public S3IngestLocation? Location { get; } = location;

    /// <summary>Whether this worker can fetch and settle S3-ingest sources (it then advertises <c>ingest:s3</c>).</summary>
    public bool CanFetch => Location is not null || store is { IsS3: true };

    /// <summary>The ingest location that holds <paramref name="sourcePath"/> (s3://bucket/PREFIX.processing/token/name), or null.</summary>
    public S3IngestLocation? For(string sourcePath)
    {
        var url = PrefixUrl(sourcePath);
        if (Location is { } own && (url is null || url == own.Describe))
        {
            return own;
        }

        if (store is not { IsS3: true } || url is null)
        {
            return Location;
        }

        return _derived.GetOrAdd(url, u => S3IngestLocation.Create(u, store, onRetry));
    }

    /// <summary>s3://bucket/PREFIX of a claimed object's path s3://bucket/PREFIX.processing/TOKEN/NAME; null if it is not one.</summary>
    public static string? PrefixUrl(string sourcePath)
    {
        if (!sourcePath.StartsWith("s3://", StringComparison.Ordinal))
        {
            return null;
        }

        var name = sourcePath.LastIndexOf('/');
        var token = name > 0 ? sourcePath.LastIndexOf('/', name - 1) : -1;
        const string processing = ".processing";
        if (token < 0 || !sourcePath.AsSpan(0, token).EndsWith(processing, StringComparison.Ordinal))
        {
            return null;
        }

        return sourcePath[..(token - processing.Length)];
    }
}
