using System.Globalization;
using System.Text;
using TranscodeFarm.Core.Planning;

namespace TranscodeFarm.Core.Ffmpeg;

/// <summary>
/// Builds the argument list of the single ffmpeg process that decodes the source once, splits and scales it
/// into every rendition, and writes them all as tracks of one fragmented MP4 on stdout, which the native
/// packager cuts into CMAF segments. Pure: returns a list, never a command line, so no argument is ever
/// re-parsed by a shell.
/// </summary>
public static class EncodeArgumentBuilder
{
    /// <summary>ffmpeg's output: stdout, or a file for benchmarks and `plan --args0`.</summary>
    public const string Stdout = "pipe:1";

    /// <param name="output">"pipe:1", or a path ("file:" is added so no name is read as a protocol).</param>
    public static IReadOnlyList<string> Build(EncodePlan plan, string inputPath, string output = Stdout)
    {
        var args = new List<string>
        {
            "-hide_banner", "-nostats", "-loglevel", "error",
            // Progress goes to stderr: stdout carries the media.
            "-progress", "pipe:2",
            "-y",
            // "file:" keeps a name starting with '-' or containing ':' from being read as an option or protocol.
            "-i", "file:" + inputPath,
            "-map_metadata", "-1",
        };

        if (!plan.IsAudioOnly)
        {
            args.Add("-filter_complex");
            args.Add(BuildFilterGraph(plan));
        }

        for (var i = 0; i < plan.Video.Count; i++)
        {
            AddVideoOutput(args, plan.Video[i], i);
        }

        for (var i = 0; i < plan.Audio.Count; i++)
        {
            AddAudioOutput(args, plan.Audio[i], i);
        }

        if (!plan.IsAudioOnly)
        {
            var gopFrames = (int)Math.Round(plan.GopSeconds * (plan.OutputFrameRate ?? 30));
            args.AddRange([
                "-pix_fmt", "yuv420p",
                "-g", Num(Math.Max(1, gopFrames)),
                "-keyint_min", Num(Math.Max(1, gopFrames)),
                "-sc_threshold", "0",
                // Keyframes at fixed instants in every rendition: segments start together across the ladder.
                "-force_key_frames", $"expr:gte(t,n_forced*{Num(plan.GopSeconds)})",
            ]);
        }

        args.AddRange([
            "-f", "mp4",
            // A stream with no seeking back: empty moov first, then moof+mdat fragments of at most a second,
            // CMAF-style (version-1 trun with negative composition offsets instead of edit lists).
            "-movflags", "+empty_moov+default_base_moof+cmaf",
            "-frag_duration", Num(Math.Min(1, plan.SegmentSeconds) * 1_000_000),
            output == Stdout ? output : "file:" + output,
        ]);
        return args;
    }

    public static string BuildFilterGraph(EncodePlan plan)
    {
        var sb = new StringBuilder("[0:v:0]");
        if (plan.OutputFrameRate is { } fps)
        {
            sb.Append("fps=").Append(Num(fps)).Append(',');
        }

        sb.Append("split=").Append(plan.Video.Count);
        for (var i = 0; i < plan.Video.Count; i++)
        {
            sb.Append("[s").Append(i).Append(']');
        }

        for (var i = 0; i < plan.Video.Count; i++)
        {
            var v = plan.Video[i];
            sb.Append(";[s").Append(i).Append("]scale=").Append(v.Width).Append(':').Append(v.Height)
              .Append(":flags=bicubic,setdar=").Append(plan.DisplayAspect.Num).Append('/').Append(plan.DisplayAspect.Den)
              .Append("[v").Append(i).Append(']');
        }

        return sb.ToString();
    }

    private static void AddVideoOutput(List<string> args, PlannedVideo v, int i)
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
    }

    private static void AddAudioOutput(List<string> args, PlannedAudio a, int i)
    {
        var s = Num(i);
        args.AddRange([
            "-map", "0:a:0",
            $"-c:a:{s}", a.Codec,
            $"-b:a:{s}", $"{a.BitrateKbps}k",
            $"-ac:a:{s}", Num(a.Channels),
            $"-ar:a:{s}", Num(a.SampleRate),
        ]);
    }

    private static string Num(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
