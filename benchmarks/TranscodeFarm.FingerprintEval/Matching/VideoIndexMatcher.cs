using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Media;

namespace TranscodeFarm.FingerprintEval.Matching;

/// <summary>The production video index (<see cref="FingerprintIndex"/>) with its default options.</summary>
internal sealed class VideoIndexMatcher(FingerprintIndex index) : IMatcher
{
    public string Name => "video index";

    public IReadOnlyList<MatchCandidate> Match(MediaFingerprint query) =>
        index.Query(query.Video, maxResults: 10).Select(m => new MatchCandidate(m.AssetId, m.OffsetSeconds, m.Score, "video")).ToList();
}
