namespace TranscodeFarm.FingerprintEval.Matching;

/// <summary>An asset a query was found in. Query time + <see cref="OffsetSeconds"/> = asset time.</summary>
internal sealed record MatchCandidate(string AssetId, double OffsetSeconds, double Score, string Via);
