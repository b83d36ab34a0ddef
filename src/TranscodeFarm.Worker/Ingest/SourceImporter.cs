using System.Security.Cryptography;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Queue;

namespace TranscodeFarm.Worker.Ingest;

/// <summary>Hashes a source the farm now owns and submits its job (idempotent on content + profile).</summary>
public sealed class SourceImporter(IJobQueue queue, ProfileCatalog profiles)
{
    public static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    public async Task<SubmitResult> SubmitAsync(string ownedPath, string originalName, JobOrigin origin, SourceOptions options, int maxAttempts, CancellationToken cancellationToken) =>
        await queue.SubmitAsync(new JobRequest
        {
            SourcePath = ownedPath,
            SourceName = originalName,
            ContentHash = await HashAsync(ownedPath, cancellationToken),
            Profile = options.Profile,
            Origin = origin,
            Title = options.Title,
            Priority = options.Priority,
            MaxAttempts = maxAttempts,
            Force = options.Force,
            RequiredCapability = profiles.RequiredCapability(options.Profile),
            Drm = options.Drm,
            RequireToken = options.RequireToken,
        }, cancellationToken);
}

/// <summary>What a producer can choose per file (CLI flags or a sidecar JSON).</summary>
public sealed record SourceOptions(string Profile, int Priority = 0, string? Title = null, bool Force = false, Core.Drm.DrmSettings? Drm = null, bool RequireToken = false);
