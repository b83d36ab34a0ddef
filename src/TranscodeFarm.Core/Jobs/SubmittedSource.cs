using System.Diagnostics.CodeAnalysis;

namespace TranscodeFarm.Core.Jobs;

/// <summary>
/// A source uploaded by <c>transcodefarm submit</c> to a shared (S3) store: one object per content at
/// <c>sources/&lt;sha256&gt;</c> under the store's prefix, which a job names as the source path <c>store:sources/&lt;sha256&gt;</c>.
/// The one place that writes or reads that form (decision 018). The key cannot meet an asset's: asset ids are job ids,
/// 12 lowercase hex characters (<c>JobIds</c>), and "sources" is not one.
/// </summary>
public static class SubmittedSource
{
    /// <summary>The store's folder of submitted sources.</summary>
    public const string Prefix = "sources/";

    private const string Scheme = "store:";

    /// <summary>"sources/&lt;sha256&gt;" for a SHA-256 in lowercase hex (the content hash every ingest path computes).</summary>
    public static string KeyFor(string contentHash) =>
        IsContentHash(contentHash) ? Prefix + contentHash : throw new ArgumentException($"not a lowercase hex SHA-256: '{contentHash}'", nameof(contentHash));

    /// <summary>The job's source path for an object of the store.</summary>
    public static string SourcePathFor(string key) =>
        TryGetContentHash(key, out _) ? Scheme + key : throw new ArgumentException($"not a submitted source key: '{key}'", nameof(key));

    /// <summary>True when a job's source is an object of the store; the key it names.</summary>
    public static bool TryGetKey(string? sourcePath, [NotNullWhen(true)] out string? key)
    {
        key = null;
        if (sourcePath is null || !sourcePath.StartsWith(Scheme, StringComparison.Ordinal) || !TryGetContentHash(sourcePath[Scheme.Length..], out _))
        {
            return false;
        }

        key = sourcePath[Scheme.Length..];
        return true;
    }

    /// <summary>The SHA-256 a submitted source's bytes must have (its key names it).</summary>
    public static bool TryGetContentHash(string key, [NotNullWhen(true)] out string? contentHash)
    {
        contentHash = key.StartsWith(Prefix, StringComparison.Ordinal) && IsContentHash(key[Prefix.Length..]) ? key[Prefix.Length..] : null;
        return contentHash is not null;
    }

    /// <summary>
    /// Whether a job in this state lets its submitted source go. Only success and cancellation do: a failed job (bad input)
    /// and a dead one (transient failures used up its attempts) are what `jobs retry` is for, so they keep it.
    /// </summary>
    public static bool IsReleasedIn(JobState state) => state is JobState.Succeeded or JobState.Cancelled;

    private static bool IsContentHash(string s) => s.Length == 64 && s.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
