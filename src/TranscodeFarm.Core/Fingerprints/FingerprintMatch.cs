namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// A query found in an indexed asset. Query time + <see cref="OffsetSeconds"/> = time in the asset.
/// <see cref="Score"/> is the fraction of the query's usable frames, where it overlaps the asset, that matched.
/// <see cref="MatchedSeconds"/> runs from the first to the last matched query frame (plus one frame interval).
/// </summary>
public sealed record FingerprintMatch(string AssetId, double Score, double OffsetSeconds, double MatchedSeconds);
