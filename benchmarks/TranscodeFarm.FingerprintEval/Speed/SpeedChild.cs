using System.Diagnostics;
using System.Text.Json;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Media;

namespace TranscodeFarm.FingerprintEval.Speed;

/// <summary>
/// Runs inside <c>taskset -c 0</c> (the parent starts it so), so the extractor's ffmpeg and the hashing share one core:
/// the production extractor on the clip (after a warm-up on a one-second clip for JIT), then the same ffmpeg work with
/// no hashing, then a plain decode (<c>ffmpeg -i clip -f null -</c>) as the reference.
/// </summary>
internal static class SpeedChild
{
    public static async Task<int> RunAsync(string clip, string warmup, Tool tool, FingerprintExtractor extractor, MediaProber prober)
    {
        var duration = (await prober.ProbeAsync(clip, CancellationToken.None)).Source?.DurationSeconds ?? double.NaN;
        _ = await extractor.ExtractAsync(warmup, CancellationToken.None);

        var steps = new List<SpeedStep>();
        var dotnetBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var (cpu, watch) = (CpuClock.Seconds(), Stopwatch.StartNew());
        var (fingerprint, error) = await extractor.ExtractAsync(clip, CancellationToken.None);
        steps.Add(new SpeedStep($"FingerprintExtractor (ffprobe + ffmpeg + hashing; fast decode {(new MediaOptions().FingerprintFastDecode ? "on" : "off")})", watch.Elapsed.TotalSeconds, CpuClock.Seconds() - cpu));
        var dotnetCpu = (Process.GetCurrentProcess().TotalProcessorTime - dotnetBefore).TotalSeconds;
        if (fingerprint is null)
        {
            await Console.Error.WriteLineAsync("extraction failed: " + error);
            return 1;
        }

        steps.Add(await TimeAsync(tool, "  its ffmpeg work, full decode (fps=2 scale gray + chromaprint)", [
            "-hide_banner", "-nostats", "-loglevel", "error", "-i", "file:" + clip,
            "-map", "0:v:0", "-vf", FingerprintArguments.FrameFilter, "-f", "rawvideo", "-y", "/dev/null",
            "-map", "0:a:0", "-ac", "1", "-f", "chromaprint", "-fp_format", "raw", "-y", "/dev/null",
        ]));
        steps.Add(await TimeAsync(tool, "  plain decode: ffmpeg -i clip -f null -", ["-hide_banner", "-nostats", "-loglevel", "error", "-i", "file:" + clip, "-f", "null", "-"]));
        // What the standalone extractor runs by default since issue 17 (no deblocking, non-reference frames dropped, so
        // fps=2 may take a neighbouring frame); its effect on matching: decision 012, `--fast-decode`.
        steps.Add(await TimeAsync(tool, "  its ffmpeg work, fast decode (-skip_loop_filter all -skip_frame noref)", [
            "-hide_banner", "-nostats", "-loglevel", "error", .. FingerprintArguments.FastDecodeOptions, "-i", "file:" + clip,
            "-map", "0:v:0", "-vf", FingerprintArguments.FrameFilter, "-f", "rawvideo", "-y", "/dev/null",
            "-map", "0:a:0", "-ac", "1", "-f", "chromaprint", "-fp_format", "raw", "-y", "/dev/null",
        ]));
        var result = new SpeedResult(CpusAllowed(), duration, fingerprint.Video.Count, dotnetCpu, steps, Machine.LoadAverage());
        Console.WriteLine(SpeedResult.Prefix + JsonSerializer.Serialize(result));
        return 0;
    }

    private static async Task<SpeedStep> TimeAsync(Tool tool, string name, IReadOnlyList<string> args)
    {
        var (cpu, watch) = (CpuClock.Seconds(), Stopwatch.StartNew());
        await tool.RunAsync("ffmpeg", args, TimeSpan.FromMinutes(10), CancellationToken.None);
        return new SpeedStep(name, watch.Elapsed.TotalSeconds, CpuClock.Seconds() - cpu);
    }

    private static string CpusAllowed() =>
        File.Exists("/proc/self/status")
            ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "?"
            : "?";
}
