using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Media;

namespace TranscodeFarm.FingerprintEval.Matching;

/// <summary>
/// Aligns the query's Chromaprint with every original's (<see cref="AudioAligner"/>, exhaustive): fine for a corpus of
/// ten, not a catalogue search. A match is the aligner's own <see cref="AudioAlignment.IsMatch"/>; lowest bit error first.
/// </summary>
internal sealed class AudioScanMatcher(IReadOnlyDictionary<string, AudioFingerprint> references) : IMatcher
{
    public string Name => "audio scan";

    public IReadOnlyList<MatchCandidate> Match(MediaFingerprint query)
    {
        if (query.Audio is not { } audio)
        {
            return [];
        }

        return references
            .Select(r => (Id: r.Key, Alignment: AudioAligner.Align(audio, r.Value)))
            .Where(r => r.Alignment is { IsMatch: true })
            .OrderBy(r => r.Alignment!.BitErrorRate)
            .Select(r => new MatchCandidate(r.Id, r.Alignment!.OffsetSeconds, 1 - r.Alignment.BitErrorRate, "audio"))
            .ToList();
    }
}
