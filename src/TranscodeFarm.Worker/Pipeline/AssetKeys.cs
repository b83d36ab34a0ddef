using TranscodeFarm.Core.Drm;
using TranscodeFarm.Queue;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// Gets an asset's content keys before its encode: keys imported from CPIX (drm.keySet), the asset's own keys from
/// an earlier attempt, or new ones from a CSPRNG, sealed into the key store before any segment is encrypted.
/// </summary>
public sealed class AssetKeys(IContentKeyStore store)
{
    public async Task<AssetEncryption> PrepareAsync(string assetId, DrmSettings settings, CancellationToken cancellationToken)
    {
        if (!settings.Encrypts)
        {
            return AssetEncryption.None;
        }

        KeySet keySet;
        if (settings.KeySet is { Length: > 0 } imported)
        {
            keySet = await store.LoadKeySetAsync(KeySet.ImportedId(imported), cancellationToken)
                ?? throw new ArgumentException($"drm.keySet '{imported}' is not in the key store: import its CPIX document first (`transcodefarm keys import`)");
        }
        else
        {
            keySet = await store.LoadKeySetAsync(assetId, cancellationToken) ?? await CreateAsync(assetId, settings, cancellationToken);
        }

        var encryption = new AssetEncryption(settings, assetId, keySet.Keys, keySet.Systems);
        // ClearKey and AES-128 keys are delivered by the edge; keys of hardware-DRM-only assets never leave the key store.
        var clearDelivery = settings.Scheme == "aes-128" || encryption.Systems.Contains(DrmSystem.ClearKey);
        await store.LinkAssetAsync(assetId, [.. keySet.Keys.Select(k => k.KeyId)], clearDelivery, cancellationToken);
        return encryption;
    }

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
