using TranscodeFarm.Media;

namespace TranscodeFarm.FingerprintEval.Matching;

/// <summary>
/// Which originals a copy comes from, best first; empty when none. The evaluation only sees this seam, so any matcher
/// (the production <see cref="ContentIndexMatcher"/>, the video index alone, the audio scan) is scored the same way.
/// </summary>
internal interface IMatcher
{
    string Name { get; }

    IReadOnlyList<MatchCandidate> Match(MediaFingerprint query);
}
