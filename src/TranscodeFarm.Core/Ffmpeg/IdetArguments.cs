using System.Globalization;

namespace TranscodeFarm.Core.Ffmpeg;

/// <summary>
/// ffmpeg's idet filter over a short sample of the source (decoded, then dropped: "-f null"). idet prints its totals to
/// stderr at info level when the graph closes; <see cref="IdetParser"/> reads them.
/// </summary>
public static class IdetArguments
{
    /// <summary>Frames analysed: 10 s of 25i or 8 s of 29.97, enough for idet's multi-frame verdict and the 3:2 cadence.</summary>
    public const int SampleFrames = 250;

    /// <summary>
    /// idet with a stricter interlace threshold than its default 1.04: busy progressive pictures (testsrc2 at 320x240,
    /// 24–30 fps) came out mostly "tff" at 1.04 and 1.1, and all progressive from 1.2; real 240/576/1080-line interlacing
    /// stays detected up to 1.3 (decision 027).
    /// </summary>
    public const string Filter = "idet=intl_thres=1.2";

    /// <param name="startSeconds">Where the sample starts: past a leader of black or bars on long sources.</param>
    public static IReadOnlyList<string> Build(string inputPath, double startSeconds = 0)
    {
        var args = new List<string> { "-hide_banner", "-nostats", "-loglevel", "info" };
        if (startSeconds > 0)
        {
            args.AddRange(["-ss", startSeconds.ToString("0.###", CultureInfo.InvariantCulture)]);
        }

        args.AddRange(SourceFormats.Input(inputPath));
        args.AddRange(["-map", "0:v:0", "-an", "-sn", "-dn", "-frames:v", SampleFrames.ToString(CultureInfo.InvariantCulture), "-vf", Filter, "-f", "null", "-"]);
        return args;
    }

    /// <summary>A tenth of the way in, at most a minute, and only on sources long enough to have a leader worth skipping.</summary>
    public static double StartFor(double durationSeconds) => durationSeconds > 30 ? Math.Min(60, durationSeconds / 10) : 0;
}
