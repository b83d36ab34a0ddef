using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Queue;

namespace TranscodeFarm.Worker.Ingest;

/// <summary>
/// Hashes a source the farm now owns and submits its job (idempotent on content + profile). The content hash is
/// SHA-256 of the bytes the farm reads, for every origin: the drop folder hashes the handle it checked, S3 ingest
/// the object's bytes as it reads them (an ETag is no content hash for multipart or SSE-KMS uploads).
/// </summary>
public sealed class SourceImporter(IJobQueue queue, ProfileCatalog profiles)
{
    /// <summary>A file the operator named (CLI submit, demo): opened the ordinary way, links followed.</summary>
    public static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await HashAsync(stream, cancellationToken);
    }

    /// <summary>Hashes an open file from its start (positional reads: the handle's offset is left alone).</summary>
    public static async Task<string> HashAsync(SafeFileHandle handle, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            long offset = 0;
            int read;
            while ((read = await RandomAccess.ReadAsync(handle, buffer, offset, cancellationToken)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    public static async Task<string> HashAsync(Stream stream, CancellationToken cancellationToken) =>
        Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));

    public async Task<SubmitResult> SubmitAsync(string ownedPath, string originalName, JobOrigin origin, SourceOptions options, int maxAttempts, CancellationToken cancellationToken) =>
        await SubmitAsync(ownedPath, originalName, origin, options, maxAttempts, await HashAsync(ownedPath, cancellationToken), cancellationToken);

    /// <param name="contentHash">From <see cref="HashAsync(SafeFileHandle, CancellationToken)"/> of the handle the caller checked.</param>
    public async Task<SubmitResult> SubmitAsync(string ownedPath, string originalName, JobOrigin origin, SourceOptions options, int maxAttempts, string contentHash, CancellationToken cancellationToken) =>
        await queue.SubmitAsync(Request(ownedPath, originalName, origin, options, maxAttempts, contentHash), cancellationToken);

    /// <summary>The job a source becomes (its <see cref="JobRequest.IdempotencyKey"/> finds an earlier one).</summary>
    public JobRequest Request(string ownedPath, string originalName, JobOrigin origin, SourceOptions options, int maxAttempts, string contentHash) =>
        new()
        {
            SourcePath = ownedPath,
            SourceName = originalName,
            ContentHash = contentHash,
            Profile = options.Profile,
            Origin = origin,
            Title = options.Title,
            Priority = options.Priority,
            MaxAttempts = maxAttempts,
            Force = options.Force,
            RequiredCapability = profiles.RequiredCapability(options.Profile),
            Drm = options.Drm,
            RequireToken = options.RequireToken,
        };
}

/// <summary>What a producer can choose per file (CLI flags or a sidecar JSON).</summary>
public sealed record SourceOptions(string Profile, int Priority = 0, string? Title = null, bool Force = false, Core.Drm.DrmSettings? Drm = null, bool RequireToken = false);
