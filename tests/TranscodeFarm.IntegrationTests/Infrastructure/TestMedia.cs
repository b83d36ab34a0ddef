using System.Collections.Concurrent;
using System.Globalization;

namespace TranscodeFarm.IntegrationTests.Infrastructure;

/// <summary>Tiny clips made with ffmpeg's lavfi sources, generated once per test run.</summary>
public static class TestMedia
{
    private static readonly string Folder = Directory.CreateTempSubdirectory("transcodefarm-media-").FullName;
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Made = new();

    /// <summary>testsrc2 video (+ a sine tone), H.264 ultrafast.</summary>
    public static Task<string> ClipAsync(int width = 320, int height = 240, double seconds = 6, int fps = 30, bool audio = true, string? extra = null) =>
        MakeAsync($"clip-{width}x{height}-{seconds}s-{fps}-{audio}-{extra}.mp4", path =>
        {
            var s = seconds.ToString(CultureInfo.InvariantCulture);
            var args = new List<string> { "-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate={fps}:duration={s}" };
            if (audio)
            {
                args.AddRange(["-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=48000:duration={s}"]);
            }

            args.AddRange(["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]);
            if (audio)
            {
                args.AddRange(["-c:a", "aac", "-shortest"]);
            }

            if (extra is not null)
            {
                args.AddRange(extra.Split(' '));
            }

            args.Add(path);
            return args;
        });

    public static Task<string> AudioOnlyAsync() =>
        MakeAsync("audio-only.m4a", path => ["-f", "lavfi", "-i", "sine=frequency=300:sample_rate=44100:duration=4", "-c:a", "aac", path]);

    /// <summary>A copy of a clip cut off in the middle: the moov box is lost, as in an interrupted upload.</summary>
    public static async Task<string> TruncatedAsync()
    {
        var clip = await ClipAsync();
        var path = Path.Combine(Folder, "truncated.mp4");
        if (!File.Exists(path))
        {
            var bytes = await File.ReadAllBytesAsync(clip);
            await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);
        }

        return path;
    }

    private static Task<string> MakeAsync(string name, Func<string, List<string>> args) =>
        Made.GetOrAdd(name, _ => new Lazy<Task<string>>(async () =>
        {
            var path = Path.Combine(Folder, name);
            await Tools.CheckedFfmpegAsync([.. args(path)]);
            return path;
        })).Value;
}
