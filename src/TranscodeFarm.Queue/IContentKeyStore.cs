using TranscodeFarm.Core.Drm;

namespace TranscodeFarm.Queue;

/// <summary>Keys of one key set (an asset's own, or imported from CPIX), with the PSSH boxes CPIX supplied.</summary>
public sealed record KeySet(string Id, IReadOnlyList<ContentKey> Keys, IReadOnlyList<CpixDrmSystem> Systems)
{
    /// <summary>Imported key sets live apart from assets' own (asset ids never contain ':'), so a job cannot borrow another asset's keys.</summary>
    public static string ImportedId(string contentId) => "cpix:" + contentId;
}

/// <summary>
/// Content keys in the job database, sealed (AES-GCM under the master key, bound to key set and KID) so that the
/// database alone reveals nothing. Assets are linked to the KIDs that protect them; the license and key
/// endpoints only hand out keys linked to the asset a token was issued for.
/// </summary>
public interface IContentKeyStore
{
    Task SaveKeySetAsync(KeySet keySet, CancellationToken cancellationToken);

    Task<KeySet?> LoadKeySetAsync(string keySetId, CancellationToken cancellationToken);

    /// <param name="clearDelivery">The edge may hand these keys to token holders (ClearKey or HLS AES-128 assets only:
    /// keys of Widevine/PlayReady/FairPlay-only assets stay with the license server).</param>
    Task LinkAssetAsync(string assetId, IReadOnlyList<Guid> keyIds, bool clearDelivery, CancellationToken cancellationToken);

    /// <summary>Keys linked to the asset (all of them, or only <paramref name="keyIds"/>; only deliverable ones if asked).</summary>
    Task<IReadOnlyList<ContentKey>> AssetKeysAsync(string assetId, IReadOnlyCollection<Guid>? keyIds, bool deliverableOnly, CancellationToken cancellationToken);
}
