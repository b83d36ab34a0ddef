using Microsoft.Extensions.Logging;
using TranscodeFarm.Core.Drm;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Keys;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// Gets an asset's content keys before its encode: keys imported from CPIX (drm.keySet), the asset's own keys from
/// an earlier attempt, or new ones from a CSPRNG, sealed into the key store before any segment is encrypted.
/// An imported key set is used only as its policy allows (the job's profile and origin, clear delivery).
/// </summary>
public sealed partial class AssetKeys(IContentKeyStore store, ILogger<AssetKeys> logger)
{
    /// <exception cref="ArgumentException">The key set is unknown or its policy refuses this job (the reason is for the producer).</exception>
    public async Task<AssetEncryption> PrepareAsync(JobRecord job, DrmSettings settings, CancellationToken cancellationToken)
    {
        if (!settings.Encrypts)
        {
            return AssetEncryption.None;
        }

        var assetId = job.Id;
        // ClearKey and AES-128 keys are delivered by the edge; keys of hardware-DRM-only assets never leave the key store.
        var clearDelivery = settings.Scheme == "aes-128" || settings.Systems.Any(s => DrmSystems.TryParse(s, out var system) && system == DrmSystem.ClearKey);
        KeySet keySet;
        if (settings.KeySet is { Length: > 0 } imported)
        {
            keySet = await store.LoadKeySetAsync(KeySet.ImportedId(imported), cancellationToken)
                ?? throw new ArgumentException($"drm.keySet '{imported}' is not in the key store: import its CPIX document first (`transcodefarm keys import`)");
            var policy = keySet.Policy ?? KeySetPolicy.Unset;
            if (policy.RefusalFor(imported, job.Profile, job.Origin, clearDelivery) is { } refusal)
            {
                LogKeySetRefused(logger, job.Id, imported, job.Profile, KeySetPolicy.SubmitterName(job.Origin), refusal);
                throw new ArgumentException(refusal);
            }

            if (policy.IsUnset)
            {
                LogKeySetWithoutPolicy(logger, job.Id, imported);
            }

            clearDelivery &= policy.ClearDelivery;
        }
        else
        {
            keySet = await store.LoadKeySetAsync(assetId, cancellationToken) ?? await CreateAsync(assetId, settings, cancellationToken);
        }

        var encryption = new AssetEncryption(settings, assetId, keySet.Keys, keySet.Systems);
        await store.LinkAssetAsync(assetId, [.. keySet.Keys.Select(k => k.KeyId)], clearDelivery, cancellationToken);
        return encryption;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} (profile {Profile}, from {Submitter}) refused key set {KeySet}: {Reason}")]
    private static partial void LogKeySetRefused(ILogger logger, string jobId, string keySet, string profile, string submitter, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} uses key set {KeySet}, which has no policy (imported before policies): any job may use it. Set one with `transcodefarm keys policy`")]
    private static partial void LogKeySetWithoutPolicy(ILogger logger, string jobId, string keySet);

    private async Task<KeySet> CreateAsync(string assetId, DrmSettings settings, CancellationToken cancellationToken)
    {
        var keys = TrackKeySelector.TracksToGenerate(settings.SeparateKeys).Select(ContentKey.Generate).ToList();
        var keySet = new KeySet(assetId, keys, []);
        await store.SaveKeySetAsync(keySet, cancellationToken);
        // Two attempts of one job racing (a reclaimed job whose first worker still runs): one key per track wins, and
        // both read it back, so the asset is never encrypted with two different keys.
        return await store.LoadKeySetAsync(assetId, cancellationToken) ?? keySet;
    }
}
