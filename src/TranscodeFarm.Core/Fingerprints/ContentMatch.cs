namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// A query found in an indexed asset by <see cref="ContentMatcher"/>: query time + <see cref="OffsetSeconds"/> = asset
/// time. <see cref="Score"/> is 0..1: a video match's fraction of matched frames, an audio match's 1 − 2·BER, and for
/// <see cref="MatchSource.Both"/> 1 − (1 − video)(1 − audio), since two independent tracks agreeing is stronger than
/// either. <see cref="AudioBitErrorRate"/> is set whenever audio matched.
/// </summary>
public sealed record ContentMatch(string AssetId, double Score, double OffsetSeconds, double MatchedSeconds, MatchSource Source, double? AudioBitErrorRate)
{
    /// <summary>
    /// For a match by sound alone, what the picture at that offset says (<see cref="PictureCheck"/>); a match the video
    /// index found is <see cref="PictureEvidence.Supports"/>. <see cref="PictureEvidence.Contradicts"/> makes it an
    /// <see cref="MatchKinds.AudioOnly"/> match: recorded, but no claim (decision 012).
    /// </summary>
    public PictureEvidence Picture { get; init; } = Source == MatchSource.Audio ? PictureEvidence.Unknown : PictureEvidence.Supports;

    /// <summary>A claim that the query is (part of) the asset: anything but sound alone under a picture that contradicts it.</summary>
    public bool IsClaim => !(Source == MatchSource.Audio && Picture == PictureEvidence.Contradicts);

    /// <summary>
    /// What the match means for the two durations: <see cref="ContentOverlap.Duplicate"/> when the matched stretch
    /// covers at least <paramref name="coverage"/> of both, <see cref="ContentOverlap.Excerpt"/> or
    /// <see cref="ContentOverlap.Contains"/> when it covers only the query or only the asset. Pass the durations the
    /// fingerprints measured, not the containers': a Chromaprint fingerprint is ~2.6 s shorter than its audio, which
    /// matters for short clips.
    /// </summary>
    public ContentOverlap Classify(double queryDurationSeconds, double assetDurationSeconds, double coverage = 0.8)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queryDurationSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(assetDurationSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(coverage);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(coverage, 1);
        var coversQuery = MatchedSeconds >= coverage * queryDurationSeconds;
        var coversAsset = MatchedSeconds >= coverage * assetDurationSeconds;
        return (coversQuery, coversAsset) switch
        {
            (true, true) => ContentOverlap.Duplicate,
            (true, false) => ContentOverlap.Excerpt,
            (false, true) => ContentOverlap.Contains,
            _ => ContentOverlap.Partial,
        };
    }
}
