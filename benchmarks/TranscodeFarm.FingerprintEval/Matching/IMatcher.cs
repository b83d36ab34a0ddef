using TranscodeFarm.Media;

namespace TranscodeFarm.FingerprintEval.Matching;

/// <summary>
/// Which originals a copy comes from, best first; empty when none. The evaluation only sees this seam, so a production
/// matcher (video and audio combined) can replace the ones here without touching the scoring.
/// </summary>
internal interface IMatcher
{
    string Name { get; }

    IReadOnlyList<MatchCandidate> Match(MediaFingerprint query);
}
