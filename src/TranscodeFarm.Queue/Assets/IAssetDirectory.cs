namespace TranscodeFarm.Queue.Assets;

/// <summary>
/// Which generation of each asset is published, in the job database. Every change gets a new
/// <see cref="AssetRecord.ChangeSeq"/>: that is how a purge, a re-publish, a takedown or a delete reaches every edge.
/// Asset ids are single object-key segments ([A-Za-z0-9._-], not starting with '.'); anything else is an
/// <see cref="ArgumentException"/>.
/// </summary>
public interface IAssetDirectory
{
    /// <summary>Makes <paramref name="generation"/> (≥ 1) the published one, whatever the asset's state was; clears the reason.</summary>
    Task<AssetRecord> PublishAsync(string assetId, int generation, bool requireToken, CancellationToken cancellationToken);

    /// <summary>
    /// As above, fenced: with a <paramref name="fence"/>, the change is made only if that claim still holds its job's lease
    /// (same owner, same generation, running, not expired by the database's clock), checked in the same transaction;
    /// null when it does not, and nothing changed.
    /// </summary>
    Task<AssetRecord?> PublishAsync(string assetId, int generation, bool requireToken, LeaseFence? fence, CancellationToken cancellationToken);

    /// <summary>Stops serving the asset (rejected after upload, taken down). Creates the row (generation 0) if missing.</summary>
    Task<AssetRecord> WithdrawAsync(string assetId, string reason, CancellationToken cancellationToken);

    /// <summary>Marks the asset deleted. Creates the row (generation 0) if missing.</summary>
    Task<AssetRecord> MarkDeletedAsync(string assetId, string reason, CancellationToken cancellationToken);

    /// <summary>Changes nothing but the ChangeSeq, so every edge drops what it cached of the asset; null if there is no row.</summary>
    Task<AssetRecord?> PurgeAsync(string assetId, CancellationToken cancellationToken);

    Task<AssetRecord?> GetAsync(string assetId, CancellationToken cancellationToken);

    /// <summary>Assets whose latest change is after <paramref name="afterSeq"/>, oldest change first. An asset changed twice
    /// appears once, with its latest state: a caller that remembers the last ChangeSeq it saw misses nothing.</summary>
    Task<IReadOnlyList<AssetRecord>> ChangesSinceAsync(long afterSeq, int limit, CancellationToken cancellationToken);

    /// <summary>Assets in <paramref name="state"/> (all when null), most recently changed first.</summary>
    Task<IReadOnlyList<AssetRecord>> ListAsync(AssetState? state, int limit, CancellationToken cancellationToken);
}

/// <summary>The claim a fenced change must still hold: job, lease owner and the claim's generation.</summary>
public sealed record LeaseFence(string JobId, string WorkerId, int Generation);
