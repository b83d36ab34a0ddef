using System.Text.Json;

namespace TranscodeFarm.FingerprintEval.Speed;

/// <summary>
/// Extraction speed on a 1080p30 clip, on one core: makes the clip (testsrc2 + a tone, H.264 veryfast 8 Mb/s like the
/// ladder benchmark), then runs this program again as <c>taskset -c 0 … --speed-child clip</c> and reads its result.
/// </summary>
internal static class SpeedBenchmark
{
    public const double RealtimeGoal = 10;

    public static async Task<(SpeedResult? Result, bool Pinned, string? Error)> RunAsync(Tool tool, string workDir, double seconds)
    {
        var clip = Path.Combine(workDir, $"speed-1080p30-{seconds:0}s.mp4");
        var warmup = Path.Combine(workDir, "speed-warmup-1s.mp4");
        await MakeAsync(tool, clip, "1920x1080", seconds, "veryfast");
        await MakeAsync(tool, warmup, "320x180", 1, "ultrafast");

        var self = SelfCommand();
        var pinned = Tool.OnPath("taskset");
        var program = pinned ? "taskset" : self[0];
        IReadOnlyList<string> args = pinned ? ["-c", "0", .. self, "--speed-child", clip, warmup] : [.. self.Skip(1), "--speed-child", clip, warmup];
        var lines = await tool.LinesAsync(program, args, TimeSpan.FromMinutes(10), CancellationToken.None);
        var line = lines?.FirstOrDefault(l => l.StartsWith(SpeedResult.Prefix, StringComparison.Ordinal));
        return line is null
            ? (null, pinned, "the speed child failed")
            : (JsonSerializer.Deserialize<SpeedResult>(line[SpeedResult.Prefix.Length..]), pinned, null);
    }

    /// <summary>How to start this program again: the apphost, or <c>dotnet the.dll</c>.</summary>
    private static List<string> SelfCommand()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var dll = typeof(SpeedBenchmark).Assembly.Location;
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, dll] : [host];
    }

    private static async Task MakeAsync(Tool tool, string path, string size, double seconds, string preset)
    {
        if (File.Exists(path))
        {
            return;
        }

        var part = Tool.PartPath(path);
        var d = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await tool.RunAsync("ffmpeg", [
            "-hide_banner", "-nostats", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", $"testsrc2=size={size}:rate=30:duration={d}",
            "-f", "lavfi", "-i", $"sine=frequency=440:beep_factor=4:sample_rate=48000:duration={d}",
            "-c:v", "libx264", "-preset", preset, "-b:v", "8M", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-f", "mp4", "file:" + part,
        ], TimeSpan.FromMinutes(10), CancellationToken.None);
        File.Move(part, path, overwrite: true);
    }
}
