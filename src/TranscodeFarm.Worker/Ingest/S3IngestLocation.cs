using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Worker.Ingest;

/// <summary>
/// An S3 prefix used as a drop location. Producers upload to PREFIX/name (any name); a scan claims each object
/// by copying it to PREFIX.processing/&lt;token&gt;/source.ext (the token is derived from the key and ETag, so every
/// scanner picks the same one) and submitting it; the queue's idempotent submit lets exactly one job exist.
/// When the job ends the object moves to PREFIX/done/ or PREFIX/failed/ next to name.error.json.
/// Everything goes through <see cref="IObjectStore"/> (retries, server-side multipart copy above 5 GiB); keys are
/// whole bucket keys, taken as producers wrote them.
/// </summary>
public sealed class S3IngestLocation(IObjectStore store, string bucket, string prefix)
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string Describe => $"s3://{bucket}/{prefix}";
    public string ProcessingPrefix => prefix + ".processing/";

    public static bool Owns(JobRecord job) => job.Origin == JobOrigin.S3Prefix;

    /// <summary>The producer's name of an object directly under the prefix.</summary>
    public string NameOf(ObjectInfo o) => o.Key[prefix.Length..];

    /// <summary>Objects directly under the prefix that are ready: not hidden, partial or a sidecar, and a few seconds old.</summary>
    public async Task<IReadOnlyList<ObjectInfo>> ReadyObjectsAsync(DateTimeOffset now, TimeSpan minAge, CancellationToken cancellationToken)
    {
        var ready = new List<ObjectInfo>();
        await foreach (var o in store.ListChildrenAsync(prefix, cancellationToken))
        {
            var name = NameOf(o);
            if (name.Length > 0 && DropFolderLayout.IsCandidate(name) && now - o.LastModified >= minAge)
            {
                ready.Add(o);
            }
        }

        return ready;
    }

    /// <summary>
    /// Copies the object into its processing key (the same for every scanner) and returns that s3:// source path.
    /// The original stays until <see cref="ReleaseOriginalAsync"/>, after the job is submitted: a failed submit loses nothing.
    /// </summary>
    public async Task<string?> ClaimAsync(ObjectInfo o, CancellationToken cancellationToken)
    {
        var token = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(o.Key + "\n" + o.ETag)))[..16];
        var target = ProcessingPrefix + token + "/" + DropFolderLayout.SafeSourceName(NameOf(o));
        // Null: another scanner moved it first, or the producer replaced it; its claim (or the next scan) covers it.
        if (await store.CopyAsync(o.Key, target, o.ETag, cancellationToken) is null && await store.HeadAsync(target, cancellationToken) is null)
        {
            return null;
        }

        return $"s3://{bucket}/{target}";
    }

    /// <summary>SHA-256 of the claimed copy's bytes, the content hash every ingest path submits (an ETag is not one).</summary>
    public async Task<string> HashAsync(string sourcePath, CancellationToken cancellationToken)
    {
        await using var content = await store.GetAsync(KeyOf(sourcePath), null, cancellationToken)
            ?? throw new FileNotFoundException($"{sourcePath} is gone");
        return await SourceImporter.HashAsync(content.Stream, cancellationToken);
    }

    public async Task ReleaseOriginalAsync(ObjectInfo o, CancellationToken cancellationToken) =>
        await store.DeleteAsync(o.Key, cancellationToken);

    public async Task DownloadAsync(string sourcePath, string localPath, CancellationToken cancellationToken)
    {
        await using var content = await store.GetAsync(KeyOf(sourcePath), null, cancellationToken)
            ?? throw new FileNotFoundException($"{sourcePath} is gone");
        await using var file = new FileStream(localPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
        await content.Stream.CopyToAsync(file, cancellationToken);
    }

    /// <summary>Moves the source of an ended job to done/ or failed/ (with its error report) under its original name.</summary>
    public async Task SettleAsync(JobRecord job, ErrorReport? report, CancellationToken cancellationToken)
    {
        var key = KeyOf(job.SourcePath);
        if (!key.StartsWith(ProcessingPrefix, StringComparison.Ordinal) || await store.HeadAsync(key, cancellationToken) is null)
        {
            return;
        }

        var destination = prefix + (job.State == JobState.Succeeded ? "done/" : "failed/") + job.SourceName;
        await MoveAsync(key, destination, report, cancellationToken);
    }

    /// <summary>An object the scan could not take (its copy or hash failed): to failed/ with the reason, so the scan goes on.</summary>
    public async Task RejectAsync(ObjectInfo o, ErrorReport report, CancellationToken cancellationToken) =>
        await MoveAsync(o.Key, prefix + "failed/" + NameOf(o), report, cancellationToken);

    public async Task MoveToDoneAsync(string sourcePath, string name, CancellationToken cancellationToken) =>
        await MoveAsync(KeyOf(sourcePath), prefix + "done/" + name, null, cancellationToken);

    /// <summary>Report first: whoever finds the object in failed/ finds why next to it.</summary>
    private async Task MoveAsync(string key, string destination, ErrorReport? report, CancellationToken cancellationToken)
    {
        if (report is not null)
        {
            using var body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(report, Indented));
            await store.PutAsync(destination + ".error.json", body, new ObjectProperties("application/json", "no-store"), cancellationToken);
        }

        if (await store.CopyAsync(key, destination, null, cancellationToken) is not null)
        {
            await store.DeleteAsync(key, cancellationToken);
        }
    }

    private string KeyOf(string sourcePath)
    {
        var start = $"s3://{bucket}/";
        return sourcePath.StartsWith(start, StringComparison.Ordinal) ? sourcePath[start.Length..] : throw new ArgumentException($"{sourcePath} is not in {Describe}");
    }

    public string FailedPrefix => prefix + "failed/";

    /// <summary>
    /// The error reports in failed/, newest first (at most <paramref name="limit"/>): what an operator reads to tell a
    /// producer why. A report over <paramref name="maxBytes"/> is not read (reports are small; anything bigger was not
    /// written by the farm). <see cref="FailedReport.SourcePresent"/> says whether the object itself is still beside it.
    /// </summary>
    public async Task<IReadOnlyList<FailedReport>> FailedReportsAsync(int limit, int maxBytes, CancellationToken cancellationToken)
    {
        var objects = new List<ObjectInfo>();
        await foreach (var o in store.ListChildrenAsync(FailedPrefix, cancellationToken))
        {
            objects.Add(o);
        }

        var keys = objects.Select(o => o.Key).ToHashSet(StringComparer.Ordinal);
        var reports = new List<FailedReport>();
        foreach (var o in objects.Where(o => o.Key.EndsWith(ErrorSuffix, StringComparison.Ordinal)).OrderByDescending(o => o.LastModified).Take(limit))
        {
            var source = o.Key[..^ErrorSuffix.Length];
            string? text = null;
            if (o.Length <= maxBytes && await store.GetAsync(o.Key, null, cancellationToken) is { } content)
            {
                await using (content)
                {
                    using var reader = new StreamReader(content.Stream, Encoding.UTF8);
                    text = await reader.ReadToEndAsync(cancellationToken);
                }
            }

            reports.Add(new FailedReport(source[FailedPrefix.Length..], text, o.LastModified, keys.Contains(source)));
        }

        return reports;
    }

    private const string ErrorSuffix = ".error.json";

    /// <summary>The same endpoint, credentials and retries as the store; keys as producers wrote them.</summary>
    public static S3IngestLocation Create(string url, StoreOptions options, Action<int, Exception>? onRetry = null)
    {
        var (bucket, prefix) = S3StoreOptions.ParseUrl(url);
        var s3 = new S3ObjectStore(options.ForBucket(bucket));
        return new S3IngestLocation(new ResilientObjectStore(s3, options.MaxRetries, options.RetryBaseDelay, options.RetryMaxDelay, onRetry), bucket, prefix);
    }
}

/// <summary>An error report in the ingest prefix's failed/: the object's name, the report's text (null when it was too big or gone).</summary>
public sealed record FailedReport(string Name, string? Text, DateTimeOffset WrittenAt, bool SourcePresent);
