using TranscodeFarm.Core.Ffmpeg;

namespace TranscodeFarm.Core.Fingerprints;

/// <summary>One rendition the gate decodes: its stream in the encoder's output and where its result goes.</summary>
/// <param name="HdrSource">For an HDR rendition, the source's colour: its keyframes are tone-mapped like the fingerprint's frames.</param>
/// <param name="SourceReferencePath">An audio rendition made from a source track other than the first: the Chromaprint
/// of that track, written by the encode, to hold the rendition against (decision 029); null: the source fingerprint's.</param>
public sealed record GateTrack(string Name, int StreamIndex, string OutputPath, Planning.SourceColour? HdrSource = null, string? SourceReferencePath = null)
{
    /// <summary>The keyframes' chain: tone-mapped first for an HDR rendition, since the fingerprint is (decision 028).</summary>
    public string Filter => HdrSource is null ? QualityGateArguments.KeyframeFilter : $"{HdrArguments.ToneMapToBt709(HdrSource)},{QualityGateArguments.KeyframeFilter}";
}

/// <summary>
/// The quality gate's ffmpeg arguments, pure (decision 024). ONE process reads the encoder's output as it is made, from
/// stdin (the farm's own fragmented MP4, so only the mp4 demuxer and the pipe protocol are allowed), decodes only the
/// keyframes of every video rendition (-skip_frame nokey: a small fraction of a full decode), each into 64×64 gray
/// frames like the fingerprint's (rawvideo, one frame per keyframe, no frame rate conversion), and every audio
/// rendition in full into Chromaprint. Errors only on stderr: any decode error there fails the gate.
/// </summary>
public static class QualityGateArguments
{
    /// <summary>The fingerprint's picture chain without its 2/s sampling: the keyframes are the samples.</summary>
    public static string KeyframeFilter { get; } = $"scale={FingerprintArguments.FrameSize}:{FingerprintArguments.FrameSize}:flags=area,format=gray";

    public static IReadOnlyList<string> Build(IReadOnlyList<GateTrack> video, IReadOnlyList<GateTrack> audio)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(audio);
        var args = new List<string>
        {
            "-hide_banner", "-nostats", "-loglevel", "error", "-y",
            "-format_whitelist", SourceFormats.Whitelist(SourceFormats.Ladder), "-protocol_whitelist", "pipe",
            "-skip_frame:v", "nokey", "-f", "mp4", "-i", "pipe:0",
        };
        foreach (var v in video)
        {
            args.AddRange(["-map", $"0:{v.StreamIndex}", "-vf", v.Filter, "-fps_mode", "passthrough", "-f", "rawvideo", "file:" + v.OutputPath]);
        }

        foreach (var a in audio)
        {
            args.AddRange(["-map", $"0:{a.StreamIndex}", "-ac", "1", "-f", "chromaprint", "-fp_format", "raw", "file:" + a.OutputPath]);
        }

        return args;
    }
}
