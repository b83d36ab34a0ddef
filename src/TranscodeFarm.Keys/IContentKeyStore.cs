using TranscodeFarm.Core.Drm;

namespace TranscodeFarm.Keys;

/// <summary>Keys of one key set (an asset's own, or imported from CPIX), with the PSSH boxes CPIX supplied.</summary>
public sealed record KeySet(string Id, IReadOnlyList<ContentKey> Keys, IReadOnlyList<CpixDrmSystem> Systems)
{
    private const string ImportedPrefix = "cpix:";

    /// <summary>Who may use an imported key set and whether it may be delivered in clear; null for an asset's own keys.</summary>
    public KeySetPolicy? Policy { get; init; }

    /// <summary>Imported key sets live apart from assets' own (asset ids never contain ':'), so a job cannot borrow another asset's keys.</summary>
    public static string ImportedId(string contentId) => ImportedPrefix + contentId;

    public static bool IsImported(string keySetId) => keySetId.StartsWith(ImportedPrefix, StringComparison.Ordinal);

    /// <summary>The name an operator gave an imported key set (its id without the prefix).</summary>
    public static string NameOf(string keySetId) => IsImported(keySetId) ? keySetId[ImportedPrefix.Length..] : keySetId;
}

/// <summary>An imported key set as `keys list` shows it (no key material).</summary>
public sealed record ImportedKeySet(string Name, int KeyCount, DateTimeOffset ImportedAt, KeySetPolicy Policy);

/// <summary>What the edge may hand out in clear for an asset: the keys, and for each refused KID why (never a key).</summary>
public sealed record KeyDelivery(IReadOnlyList<ContentKey> Keys, IReadOnlyList<(Guid KeyId, string Reason)> Refused);

/// <summary>
/// Content keys in the job database, sealed (AES-GCM under the master key, bound to key set and KID) so that the
/// database alone reveals nothing. Assets are linked to the KIDs that protect them; the license and key
/// endpoints only hand out keys linked to the asset a token was issued for.
/// </summary>
public interface IContentKeyStore
{
    /// <summary>Stores the keys and, for an imported key set, its <see cref="KeySet.Policy"/> in the same transaction.</summary>
    Task SaveKeySetAsync(KeySet keySet, CancellationToken cancellationToken);

    /// <summary>The keys; an imported key set comes with its policy (<see cref="KeySetPolicy.Unset"/> if none was ever set).</summary>
    Task<KeySet?> LoadKeySetAsync(string keySetId, CancellationToken cancellationToken);

    /// <summary>Replaces an imported key set's policy; false when no such key set was imported.</summary>
    Task<bool> SetPolicyAsync(string keySetId, KeySetPolicy policy, CancellationToken cancellationToken);

    /// <summary>Every imported key set with its policy, by name.</summary>
    Task<IReadOnlyList<ImportedKeySet>> ListImportedAsync(CancellationToken cancellationToken);

    /// <param name="clearDelivery">The edge may hand these keys to token holders (ClearKey or HLS AES-128 assets only:
    /// keys of Widevine/PlayReady/FairPlay-only assets stay with the license server).</param>
    Task LinkAssetAsync(string assetId, IReadOnlyList<Guid> keyIds, bool clearDelivery, CancellationToken cancellationToken);

    /// <summary>Keys linked to the asset (all of them, or only <paramref name="keyIds"/>; only deliverable ones if asked:
    /// linked for clear delivery and, for an imported key set, allowed by its policy).</summary>
    Task<IReadOnlyList<ContentKey>> AssetKeysAsync(string assetId, IReadOnlyCollection<Guid>? keyIds, bool deliverableOnly, CancellationToken cancellationToken);

    /// <summary>
    /// The keys of <paramref name="keyIds"/> the edge may hand to a holder of the asset's token: linked to the asset for
    /// clear delivery and, for an imported key set, allowed by its policy at this moment (checked here again, not only when
    /// the asset was linked). A key linked to the asset that its key set's policy keeps back is listed in
    /// <see cref="KeyDelivery.Refused"/> with the reason; refused keys are never unsealed.
    /// </summary>
    Task<KeyDelivery> ClearDeliveryAsync(string assetId, IReadOnlyCollection<Guid> keyIds, CancellationToken cancellationToken);
}
