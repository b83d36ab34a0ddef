using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Media;

namespace TranscodeFarm.FingerprintEval.Matching;

/// <summary>
/// The production combined matcher (<see cref="ContentMatcher"/>: video index and audio index, joined per asset), as a
/// reference collection sees it: only claims count (an audio-only match, sound alike under another picture, is
/// recorded by the farm but claims nothing). <paramref name="muted"/> queries the picture alone.
/// </summary>
internal sealed class ContentIndexMatcher(ContentMatcher matcher, string name = "ContentMatcher (video + audio indexes)", bool muted = false, bool soundOnly = false) : IMatcher
{
    public string Name => name;

    public IReadOnlyList<MatchCandidate> Match(MediaFingerprint query) =>
        All(query).Where(m => m.IsClaim)
            .Select(m => new MatchCandidate(m.AssetId, m.OffsetSeconds, m.Score, m.Source.ToString().ToLowerInvariant()))
            .ToList();

    /// <summary>Every match the farm records, claims and audio-only ones.</summary>
    public IReadOnlyList<ContentMatch> All(MediaFingerprint query) =>
        matcher.Query(!soundOnly && query.Video.Count > 0 ? query.Video : null, muted ? null : query.Audio, maxResults: 10);
}
