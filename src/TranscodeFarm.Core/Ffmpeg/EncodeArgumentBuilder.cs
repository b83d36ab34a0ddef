using System.Globalization;
using System.Text;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Planning;

namespace TranscodeFarm.Core.Ffmpeg;

/// <summary>
/// Builds the argument list of the single ffmpeg process that decodes the source once, splits and scales it
/// into every rendition, and writes them all as tracks of one fragmented MP4 on stdout, which the native
/// packager cuts into CMAF segments. Pure: returns a list, never a command line, so no argument is ever
/// re-parsed by a shell. With a <see cref="EncodeFingerprint"/>, the same process also emits what the content
/// fingerprint needs (a grayscale PNG track and a Chromaprint file), so the source is decoded only once.
/// </summary>
public static class EncodeArgumentBuilder
{
    /// <summary>ffmpeg's output: stdout, or a file for benchmarks and `plan --args0`.</summary>
    public const string Stdout = "pipe:1";

    /// <summary>Filter graph label of the fingerprint frames, mapped after every rendition.</summary>
    private const string FingerprintLabel = "fp";

    /// <param name="output">"pipe:1", or a path ("file:" is added so no name is read as a protocol).</param>
    /// <param name="fingerprint">Also emit fingerprint frames and audio; null: the ladder only.</param>
    public static IReadOnlyList<string> Build(EncodePlan plan, string inputPath, string output = Stdout, EncodeFingerprint? fingerprint = null)
    {
        var fingerprintFrames = fingerprint is not null && !plan.IsAudioOnly;
        var args = new List<string>
        {
            "-hide_banner", "-nostats", "-loglevel", "error",
            // Progress goes to stderr: stdout carries the media.
            "-progress", "pipe:2",
            "-y",
        };
        // Only the allowed containers, only the local file (see SourceFormats).
        args.AddRange(SourceFormats.Input(inputPath));
        args.AddRange(["-map_metadata", "-1"]);

        if (!plan.IsAudioOnly)
        {
            args.Add("-filter_complex");
            args.Add(BuildFilterGraph(plan, fingerprintFrames));
        }

        for (var i = 0; i < plan.Video.Count; i++)
        {
            AddVideoOutput(args, plan.Video[i], i, plan.HdrSource);
        }

        for (var i = 0; i < plan.Audio.Count; i++)
        {
            AddAudioOutput(args, plan.Audio[i], i);
        }

        // Last, after audio: the renditions keep track indices 0..n-1 (their ids in the packaged asset). ffmpeg 5.1's
        // mp4 muxer refuses rawvideo, but takes PNG (lossless, so the hash sees exactly the scaled luma).
        var fingerprintStream = Num(plan.Video.Count);
        if (fingerprintFrames)
        {
            args.AddRange(["-map", $"[{FingerprintLabel}]", $"-c:v:{fingerprintStream}", "png"]);
        }

        if (!plan.IsAudioOnly)
        {
            var gopFrames = (int)Math.Round(plan.GopSeconds * (plan.OutputFrameRate ?? plan.Scan?.FrameRate ?? 30));
            args.AddRange([
                "-pix_fmt", "yuv420p",
                "-g", Num(Math.Max(1, gopFrames)),
                "-keyint_min", Num(Math.Max(1, gopFrames)),
                "-sc_threshold", "0",
                // Keyframes at fixed instants in every rendition: segments start together across the ladder.
                "-force_key_frames", $"expr:gte(t,n_forced*{Num(plan.GopSeconds)})",
            ]);
            if (fingerprintFrames)
            {
                // After the yuv420p above, which would otherwise apply to every video stream: for one stream, ffmpeg
                // keeps the last matching option. PNG has no yuv420p; gray keeps the frames one byte per pixel.
                args.AddRange([$"-pix_fmt:v:{fingerprintStream}", "gray"]);
            }

            for (var i = 0; i < plan.Video.Count; i++)
            {
                if (plan.Video[i].Range != DynamicRange.Sdr)
                {
                    // Never 8-bit HDR: an HDR rung is Main10 whatever the ladder-wide format above says.
                    args.AddRange([$"-pix_fmt:v:{Num(i)}", "yuv420p10le"]);
                }
            }
        }

        args.AddRange([
            "-f", "mp4",
            // A stream with no seeking back: empty moov first, then moof+mdat fragments of at most a second,
            // CMAF-style (version-1 trun with negative composition offsets instead of edit lists).
            "-movflags", "+empty_moov+default_base_moof+cmaf",
            "-frag_duration", Num(Math.Min(1, plan.SegmentSeconds) * 1_000_000),
            output == Stdout ? output : "file:" + output,
        ]);
        if (fingerprint?.ChromaprintPath is { } chromaprint)
        {
            // A second output of the same process: the audio is decoded once and feeds both the renditions and this.
            args.AddRange(FingerprintArguments.ChromaprintOutput(chromaprint));
        }

        foreach (var (index, path) in fingerprint?.SourceAudioPrints ?? [])
        {
            // The quality gate's reference for renditions made from another source track (decision 029).
            args.AddRange(FingerprintArguments.ChromaprintOutput(path, index));
        }

        return args;
    }

    /// <param name="withFingerprint">
    /// Also split the decoded source, before the frame-rate cap, into the fingerprint's frames. Taken from the source
    /// rather than the capped stream, the fingerprint depends on the source alone: the same whatever the profile's fps
    /// cap, and frame for frame what `transcodefarm fingerprint` computes from the same file. A split only passes frame
    /// references on, and the fps filter keeps 2 of them a second, so the branch costs a 64x64 scale per kept frame.
    /// </param>
    public static string BuildFilterGraph(EncodePlan plan, bool withFingerprint = false)
    {
        var sb = new StringBuilder("[0:v:0]");
        if (withFingerprint)
        {
            sb.Append("split=2[src][").Append(FingerprintLabel).Append("src];[src]");
        }

        if (plan.Scan is { } scan)
        {
            // After the fingerprint's split: the fingerprint stays the source's own (decision 012), the same as
            // `transcodefarm fingerprint` computes; the gate's tolerance absorbs a field's worth of motion (decision 027).
            sb.Append(scan.Filter).Append(',');
        }

        if (plan.HoldLastPictureSeconds > 0)
        {
            // The fingerprint (split above) keeps the source's own pictures; the gate compares only where it has them.
            sb.Append("tpad=stop_mode=clone:stop_duration=").Append(Num(plan.HoldLastPictureSeconds)).Append(',');
        }

        if (plan.OutputFrameRate is { } fps)
        {
            sb.Append("fps=").Append(Num(fps)).Append(',');
        }

        AppendSplit(sb, plan);

        for (var i = 0; i < plan.Video.Count; i++)
        {
            var v = plan.Video[i];
            sb.Append(";[s").Append(i).Append("]scale=").Append(v.Width).Append(':').Append(v.Height)
              .Append(":flags=bicubic,setdar=").Append(plan.DisplayAspect.Num).Append('/').Append(plan.DisplayAspect.Den);
            if (v.Filter is { Length: > 0 } filter)
            {
                sb.Append(',').Append(filter);
            }

            sb.Append("[v").Append(i).Append(']');
        }

        if (withFingerprint)
        {
            sb.Append(";[").Append(FingerprintLabel).Append("src]").Append(FingerprintArguments.FrameFilterFor(plan.HdrSource))
              .Append('[').Append(FingerprintLabel).Append(']');
        }

        return sb.ToString();
    }

    /// <summary>
    /// Splits the decoded source into one [sN] per rung. An HDR source's SDR rungs share one tone map, before their split,
    /// so it runs once per frame rather than once per rung; its HDR rungs take the frames as they are (decision 028).
    /// </summary>
    private static void AppendSplit(StringBuilder sb, EncodePlan plan)
    {
        if (plan.HdrSource is not { } hdr)
        {
            AppendSplit(sb, Enumerable.Range(0, plan.Video.Count).ToList());
            return;
        }

        var sdr = Enumerable.Range(0, plan.Video.Count).Where(i => plan.Video[i].Range == DynamicRange.Sdr).ToList();
        var kept = Enumerable.Range(0, plan.Video.Count).Where(i => plan.Video[i].Range != DynamicRange.Sdr).ToList();
        var toneMap = HdrArguments.ToneMapToBt709(hdr) + ',';
        if (kept.Count == 0)
        {
            AppendSplit(sb.Append(toneMap), sdr);
        }
        else if (sdr.Count == 0)
        {
            AppendSplit(sb, kept);
        }
        else
        {
            sb.Append("split=2[sdrsrc][hdrsrc];[sdrsrc]").Append(toneMap);
            AppendSplit(sb, sdr);
            sb.Append(";[hdrsrc]");
            AppendSplit(sb, kept);
        }
    }

    private static void AppendSplit(StringBuilder sb, List<int> rungs)
    {
        sb.Append("split=").Append(rungs.Count);
        foreach (var i in rungs)
        {
            sb.Append("[s").Append(i).Append(']');
        }
    }

    private static void AddVideoOutput(List<string> args, PlannedVideo v, int i, SourceColour? hdrSource)
    {
        var s = Num(i);
        args.AddRange([
            "-map", $"[v{s}]",
            $"-c:v:{s}", v.Codec,
            $"-b:v:{s}", $"{v.BitrateKbps}k",
            $"-maxrate:v:{s}", $"{v.MaxrateKbps}k",
            $"-bufsize:v:{s}", $"{v.BufsizeKbps}k",
            $"-preset:v:{s}", v.Preset,
        ]);
        if (v.Profile is not null)
        {
            args.AddRange([$"-profile:v:{s}", v.Profile]);
        }

        if (v.Level is not null)
        {
            args.AddRange([$"-level:v:{s}", v.Level]);
        }

        if (hdrSource is not null)
        {
            args.AddRange(v.Range == DynamicRange.Sdr ? HdrArguments.Bt709Tags(s) : HdrArguments.HdrOutput(s, hdrSource));
        }
    }

    private static void AddAudioOutput(List<string> args, PlannedAudio a, int i)
    {
        var s = Num(i);
        args.AddRange([
            "-map", $"0:a:{Num(a.SourceIndex)}",
            $"-c:a:{s}", a.Codec,
            $"-b:a:{s}", $"{a.BitrateKbps}k",
            $"-ac:a:{s}", Num(a.Channels),
            $"-ar:a:{s}", Num(a.SampleRate),
        ]);
        if (a.Filter is { Length: > 0 } filter)
        {
            args.AddRange([$"-filter:a:{s}", filter]);
        }

        if (a.Label is { } label)
        {
            // Into the track's mdhd (ISO 639-2/T): what a player or ffprobe reading the init segment alone sees.
            args.AddRange([$"-metadata:s:a:{s}", "language=" + AudioLanguage.Iso639Part2(label.Language)]);
        }
    }

    private static string Num(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
