namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// A match of a query against the farm's fingerprint catalog: which entry (an asset, or a reference in a named
/// collection), what kind of match (<see cref="MatchKinds"/>), how sure (score 0..1), where (query time + offset =
/// entry time) and for how long.
/// </summary>
public sealed record CatalogMatch(
    string Collection,
    string EntryId,
    string Name,
    string Kind,
    double Score,
    double OffsetSeconds,
    double MatchedSeconds,
    string Source,
    double? AudioBitErrorRate);
