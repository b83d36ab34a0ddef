using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Queue;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Worker.Ingest;

/// <summary>
/// Sources of <c>transcodefarm submit</c> (decision 018). With an S3 store the submitter uploads the user's file itself
/// to <c>sources/&lt;sha256&gt;</c> (no local copy), the job names that object, any worker downloads it, and the worker
/// that settles the job deletes it once no job needs it any more. With the filesystem store (one machine) submit keeps a
/// private copy in <c>DATA/sources/&lt;id&gt;/</c>, deleted by the same rule.
/// </summary>
public sealed partial class SubmittedSources(IObjectStore store, IOptions<StoreOptions> storeOptions, IJobQueue queue, FarmPaths paths, ILogger<SubmittedSources> logger)
{
    /// <summary>Sources are never public: no cache may keep them.</summary>
    private static readonly ObjectProperties Properties = new("application/octet-stream", "private, no-store");

    /// <summary>True when submitted sources go to the store (S3), where every host reads them.</summary>
    public bool InStore => storeOptions.Value.IsS3;

    public string Describe => store.Describe;

    /// <summary>
    /// Puts the user's file into the store under its content's key, unless an object of that length is already there (a
    /// re-run after an interruption, the same file again with another profile): the key names the SHA-256 and an object
    /// appears only whole, so it is those bytes. The bytes sent are hashed on the way: a file that changed after it was
    /// hashed is not left under a key it does not match. Large files go up in parts, each with its Content-MD5.
    /// </summary>
    public async Task<SourceUpload> UploadAsync(string file, string contentHash, CancellationToken cancellationToken)
    {
        var key = SubmittedSource.KeyFor(contentHash);
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        if (await store.HeadAsync(key, cancellationToken) is { } existing && existing.Length == stream.Length)
        {
            return new SourceUpload(SubmittedSource.SourcePathFor(key), key, stream.Length, Uploaded: false);
        }

        await using var hashing = new HashingReadStream(stream);
        await store.PutAsync(key, hashing, Properties, cancellationToken);
        if (hashing.Hash() != contentHash)
        {
            await store.DeleteAsync(key, CancellationToken.None);
            throw new IOException($"'{file}' changed while it was uploaded: submit it again once it is complete");
        }

        return new SourceUpload(SubmittedSource.SourcePathFor(key), key, stream.Length, Uploaded: true);
    }

    /// <summary>Whether a job's submitted source can still be read (for `jobs retry`); true for sources not in the store.</summary>
    public async Task<bool> ExistsAsync(JobRecord job, CancellationToken cancellationToken) =>
        !SubmittedSource.TryGetKey(job.SourcePath, out var key) || await store.HeadAsync(key, cancellationToken) is not null;

    /// <summary>
    /// Downloads a submitted source into the worker's own work folder, checking its SHA-256 against the one its key
    /// names; returns why it cannot be used, or null. The copy then goes through the same checks as any source.
    /// </summary>
    public static async Task<string?> FetchAsync(IObjectStore store, string key, string localPath, CancellationToken cancellationToken)
    {
        if (!SubmittedSource.TryGetContentHash(key, out var expected))
        {
            return $"'{key}' is not a submitted source";
        }

        await using (var content = await store.GetAsync(key, null, cancellationToken))
        {
            if (content is null)
            {
                return $"the submitted source is gone from the store ({key})";
            }

            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
            try
            {
                await using var file = new FileStream(localPath, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
                int read;
                while ((read = await content.Stream.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (Convert.ToHexStringLower(sha.GetHashAndReset()) == expected)
            {
                return null;
            }
        }

        // Bytes that are not the ones the key names must not stay there: every later submit of the real file would skip
        // its upload.
        File.Delete(localPath);
        await store.DeleteAsync(key, CancellationToken.None);
        return $"the submitted source {key} does not hold the bytes its name says (removed): submit the file again";
    }

    /// <summary>
    /// A job has ended: its submitted source goes if the job will not run again (succeeded or cancelled; see
    /// <see cref="SubmittedSource.IsReleasedIn"/>) and no other job needs it. Called by the worker that settles the job, or by
    /// `jobs cancel` for a job cancelled before any worker took it.
    /// </summary>
    public async Task ReleaseAsync(JobRecord job, CancellationToken cancellationToken)
    {
        if (job.Origin == JobOrigin.Submit && SubmittedSource.IsReleasedIn(job.State))
        {
            await ForgetAsync(job.SourcePath, job.Id, cancellationToken);
        }
    }

    /// <summary>Deletes a submitted source that <paramref name="jobId"/> no longer needs (it ended, or took its source from
    /// elsewhere), unless another job still does.</summary>
    public async Task ForgetAsync(string sourcePath, string jobId, CancellationToken cancellationToken)
    {
        if (SubmittedSource.TryGetKey(sourcePath, out var key))
        {
            if (await queue.IsSourceHeldAsync(sourcePath, jobId, cancellationToken))
            {
                LogKept(logger, key, jobId);
                return;
            }

            await store.DeleteAsync(key, cancellationToken);
            LogDeleted(logger, key, jobId);
            return;
        }

        // A private copy (filesystem store): its own folder under this data directory, one job per folder.
        var folder = Path.GetDirectoryName(sourcePath);
        if (folder is not null && folder.StartsWith(paths.Sources + Path.DirectorySeparatorChar, StringComparison.Ordinal) && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted the submitted source {Key} of job {JobId}")]
    private static partial void LogDeleted(ILogger logger, string key, string jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kept the submitted source {Key} after job {JobId}: another job of the same content needs it")]
    private static partial void LogKept(ILogger logger, string key, string jobId);
}

/// <summary>Where a submitted source went: the job's source path and whether this run sent its bytes.</summary>
public sealed record SourceUpload(string SourcePath, string Key, long Bytes, bool Uploaded);
