using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.FingerprintEval.Evaluation;

/// <summary>
/// Why a transformation fails, frame by frame: the Hamming distance between each usable copy frame and the original's
/// frame at the true time. The index calls two frames the same picture at ≤ 31 bits (of 256); unrelated ones sit near 128.
/// </summary>
internal static class FrameDistances
{
    public static List<double> Aligned(VideoFingerprint copy, VideoFingerprint original, double trueOffset)
    {
        var distances = new List<double>();
        if (original.Count == 0)
        {
            return distances;
        }

        foreach (var frame in copy.Frames.Where(f => f.IsUsable))
        {
            var reference = original.Frames[original.NearestIndex(frame.TimeSeconds + trueOffset)];
            if (reference.IsUsable && Math.Abs(reference.TimeSeconds - (frame.TimeSeconds + trueOffset)) <= 0.25)
            {
                distances.Add(frame.Hash.DistanceTo(reference.Hash));
            }
        }

        return distances;
    }
}
