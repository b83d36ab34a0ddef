using System.Globalization;
using TranscodeFarm.Core.Ffmpeg;

namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// The ffmpeg arguments of a standalone fingerprint pass: the source decoded once, video as small grayscale frames at a
/// fixed rate on stdout (rawvideo), audio as Chromaprint's raw sub-fingerprints into a file. Pure: a list, never a
/// command line.
/// </summary>
public static class FingerprintArguments
{
    public const int FrameSize = 64;
    public const double FramesPerSecond = 2;

    /// <summary>
    /// The video filter that makes fingerprint frames: area scaling averages, which is what a perceptual hash wants;
    /// gray is the luma plane only. The ladder encode uses the same chain, so both give the same frames.
    /// round=up makes the frame sampled at time T the picture shown at T (the last one at or before it); the default
    /// (near) took the picture up to a quarter second later, which a keyframe at T — what the quality gate decodes of
    /// each rendition (decision 024) — does not show on moving content.
    /// </summary>
    public static string FrameFilter { get; } =
        string.Create(CultureInfo.InvariantCulture, $"fps={FramesPerSecond}:round=up,scale={FrameSize}:{FrameSize}:flags=area,format=gray");

    /// <summary>
    /// <see cref="FrameFilter"/> for a source, tone-mapped first when it is HDR (decision 028): fingerprints describe the
    /// picture as an SDR screen shows it, so an HDR master, its SDR rungs and an SDR copy of the same film hash alike, and
    /// the quality gate compares like with like. The tone map runs after the 2/s sampling: on the kept frames only.
    /// </summary>
    public static string FrameFilterFor(Planning.SourceColour? hdrSource) =>
        hdrSource is null
            ? FrameFilter
            : string.Create(CultureInfo.InvariantCulture, $"fps={FramesPerSecond}:round=up,{HdrArguments.ToneMapToBt709(hdrSource)},{QualityGateArguments.KeyframeFilter}");

    /// <summary>The output arguments that write an audio stream's (by default the first's) raw Chromaprint sub-fingerprints to a file.</summary>
    public static IReadOnlyList<string> ChromaprintOutput(string path, int audioIndex = 0) =>
        ["-map", string.Create(CultureInfo.InvariantCulture, $"0:a:{audioIndex}"), "-ac", "1", "-f", "chromaprint", "-fp_format", "raw", "file:" + path];

    /// <summary>
    /// Decoder options that skip the loop filter and non-reference frames: about twice the decode speed (issue 17), at
    /// the cost of slightly blurred and differently sampled frames. Off by default: the evaluation measures what it does
    /// to matching (<c>--fast-decode</c>) before anything uses it.
    /// </summary>
    public static IReadOnlyList<string> FastDecodeOptions { get; } = ["-skip_loop_filter", "all", "-skip_frame", "noref"];

    /// <param name="hdrSource">The source's colour when it is HDR: its frames are tone-mapped (<see cref="FrameFilterFor"/>).</param>
    /// <param name="fastDecode">Put <see cref="FastDecodeOptions"/> before the input (measured, not used by the farm).</param>
    public static IReadOnlyList<string> Build(string inputPath, bool withVideo, string? chromaprintPath, Planning.SourceColour? hdrSource = null, bool fastDecode = false)
    {
        var args = new List<string> { "-hide_banner", "-nostats", "-loglevel", "error", "-y" };
        if (fastDecode)
        {
            args.AddRange(FastDecodeOptions);
        }

        args.AddRange(SourceFormats.Input(inputPath)); // a producer's file (a match upload): the allow-list applies
        if (withVideo)
        {
            args.AddRange([
                "-map", "0:v:0",
                "-vf", FrameFilterFor(hdrSource),
                "-f", "rawvideo", "pipe:1",
            ]);
        }

        if (chromaprintPath is not null)
        {
            args.AddRange(ChromaprintOutput(chromaprintPath));
        }

        return args;
    }
}
