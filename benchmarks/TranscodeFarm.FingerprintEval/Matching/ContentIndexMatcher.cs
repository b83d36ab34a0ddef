using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Media;

namespace TranscodeFarm.FingerprintEval.Matching;

/// <summary>The production combined matcher (<see cref="ContentMatcher"/>: video index and audio index, joined per asset).</summary>
internal sealed class ContentIndexMatcher(ContentMatcher matcher) : IMatcher
{
    public string Name => "ContentMatcher (video + audio indexes)";

    public IReadOnlyList<MatchCandidate> Match(MediaFingerprint query) =>
        matcher.Query(query.Video.Count > 0 ? query.Video : null, query.Audio, maxResults: 10)
            .Select(m => new MatchCandidate(m.AssetId, m.OffsetSeconds, m.Score, m.Source.ToString().ToLowerInvariant()))
            .ToList();
}
