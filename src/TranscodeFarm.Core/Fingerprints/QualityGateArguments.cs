using TranscodeFarm.Core.Ffmpeg;

namespace TranscodeFarm.Core.Fingerprints;

/// <summary>One rendition the gate decodes: its stream in the ladder file and where its samples go.</summary>
public sealed record GateTrack(string Name, int StreamIndex, string OutputPath);

/// <summary>
/// The quality gate's ffmpeg arguments, pure: ONE process decodes every rendition of the encode's ladder file once, each
/// video one sampled into the same 64×64 gray frames at 2/s as the source's fingerprint (rawvideo into a file), each
/// audio one into Chromaprint. Errors only on stderr: any decode error there fails the gate.
/// </summary>
public static class QualityGateArguments
{
    /// <summary>
    /// The fingerprint's chain, from the rendition's first frame: in the fragmented ladder a track with B-frames starts
    /// at its first composition time (e.g. 0.067 s, no edit list), which would shift the 2/s sampling by a few frames
    /// against the source's and make moving pictures differ.
    /// </summary>
    public static string FrameFilter { get; } = "setpts=PTS-STARTPTS," + FingerprintArguments.FrameFilter;

    public static IReadOnlyList<string> Build(string ladderPath, IReadOnlyList<GateTrack> video, IReadOnlyList<GateTrack> audio)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(audio);
        var args = new List<string> { "-hide_banner", "-nostats", "-loglevel", "error", "-y" };
        args.AddRange(SourceFormats.Input(ladderPath, SourceFormats.Ladder)); // the farm's own MP4, opened as nothing else
        foreach (var v in video)
        {
            args.AddRange(["-map", $"0:{v.StreamIndex}", "-vf", FrameFilter, "-f", "rawvideo", "file:" + v.OutputPath]);
        }

        foreach (var a in audio)
        {
            args.AddRange(["-map", $"0:{a.StreamIndex}", "-ac", "1", "-f", "chromaprint", "-fp_format", "raw", "file:" + a.OutputPath]);
        }

        return args;
    }
}
