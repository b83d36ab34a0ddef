using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Catalog;

/// <summary>Fingerprints kept in the job database, so every host of a farm can build the same index.</summary>
public interface IFingerprintStore
{
    /// <summary>Adds or replaces an entry; a replaced entry gets a new sequence number, so indexes catch up with it.</summary>
    Task SaveAsync(string collection, string entryId, string name, double durationSeconds, VideoFingerprint? video, AudioFingerprint? audio, CancellationToken cancellationToken);

    Task<bool> RemoveAsync(string collection, string entryId, CancellationToken cancellationToken);

    /// <summary>Rows added or replaced after <paramref name="afterSeq"/>, oldest first (at most <paramref name="limit"/>).</summary>
    Task<IReadOnlyList<StoredFingerprint>> ReadSinceAsync(long afterSeq, int limit, CancellationToken cancellationToken);

    /// <summary>The keys of every row: lets an index notice removals.</summary>
    Task<IReadOnlySet<string>> KeysAsync(CancellationToken cancellationToken);

    /// <summary>Row count and highest sequence number: one cheap query to tell whether an index is current.</summary>
    Task<(long Count, long MaxSeq)> VersionAsync(CancellationToken cancellationToken);

    Task<StoredFingerprint?> GetAsync(string collection, string entryId, CancellationToken cancellationToken);

    Task<IReadOnlyList<FingerprintEntry>> ListAsync(string? collection, int limit, CancellationToken cancellationToken);
}
