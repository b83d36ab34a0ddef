using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Catalog;

/// <summary>
/// A fingerprint row: a published asset (collection <see cref="FingerprintCollections.Assets"/>, entry = asset id) or a
/// reference file added to a named collection such as "blocked".
/// </summary>
public sealed record StoredFingerprint(
    long Seq,
    string Collection,
    string EntryId,
    string Name,
    double DurationSeconds,
    VideoFingerprint? Video,
    AudioFingerprint? Audio)
{
    /// <summary>The stored video form's version (<see cref="VideoFingerprintBinary"/>); 0 without video. Rows below
    /// <see cref="VideoFingerprintBinary.Version"/> lack centre hashes until re-indexed (issue 17).</summary>
    public int VideoVersion { get; init; }

    public bool IsOutdated => Video is not null && VideoVersion < VideoFingerprintBinary.Version;

    /// <summary>The key the in-memory index files it under.</summary>
    public string Key => FingerprintCollections.Key(Collection, EntryId);
}

/// <summary>What a listing shows of a row, without its fingerprints.</summary>
public sealed record FingerprintEntry(string Collection, string EntryId, string Name, double DurationSeconds, int VideoFrames, int AudioItems, DateTimeOffset CreatedAt);
