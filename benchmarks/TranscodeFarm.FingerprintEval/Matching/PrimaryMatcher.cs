using TranscodeFarm.Media;

namespace TranscodeFarm.FingerprintEval.Matching;

/// <summary>What the issue asks to score: the video index for anything with a picture, the audio scan for sound only.</summary>
internal sealed class PrimaryMatcher(IMatcher video, IMatcher audio) : IMatcher
{
    public string Name => $"{video.Name}; {audio.Name} when there is no picture";

    public IReadOnlyList<MatchCandidate> Match(MediaFingerprint query) =>
        query.Video.Count > 0 ? video.Match(query) : audio.Match(query);
}
