using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Encryption;

// Packager DRM benchmark, both ways in the same run on the same file:
//   packager - read the file → PipeReader → FragmentedMp4Demuxer → CmafPackager with 'cenc' → segment files in a folder,
//              in this (warm) process, as the worker runs it
//   ffmpeg   - ffmpeg -i in.mp4 -c copy -encryption_scheme cenc-aes-ctr ... out.mp4 (one process, wall time)
// The input is one 1080p30 rendition as the farm's encode writes it: libx264 veryfast 6 Mbps, 2 s GOPs, AAC,
// fragmented MP4 with the farm's movflags. Best of N runs each; MB/s is 10^6 bytes of input per second.
// Usage: benchmarks/packager-drm.sh [--seconds 20] [--runs 5]
var seconds = Arg("--seconds", 20);
var runs = Arg("--runs", 5);
const string KeyHex = "00112233445566778899aabbccddeeff";
const string KeyIdHex = "0123456789abcdef0123456789abcdef";
var encryption = new TrackEncryption(EncryptionScheme.Cenc, Guid.ParseExact(KeyIdHex, "N"), Convert.FromHexString(KeyHex), new byte[8], []);
var work = Path.Combine(Path.GetTempPath(), "transcodefarm-packager-bench");
Directory.CreateDirectory(work);

var clip = Path.Combine(work, $"rendition-1080p30-6M-{seconds}s.mp4");
if (!File.Exists(clip))
{
    Console.WriteLine($"making a {seconds} s 1080p30 rendition (testsrc2 + sine, libx264 veryfast 6 Mbps, fragmented MP4)...");
    await RunAsync("ffmpeg",
    [
        "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", $"testsrc2=size=1920x1080:rate=30:duration={seconds}",
        "-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=48000:duration={seconds}",
        "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-b:v", "6000k", "-maxrate", "7800k", "-bufsize", "12000k",
        "-pix_fmt", "yuv420p", "-g", "60", "-keyint_min", "60", "-sc_threshold", "0", "-force_key_frames", "expr:gte(t,n_forced*2)",
        "-c:a", "aac", "-b:a", "128k", "-shortest",
        "-f", "mp4", "-movflags", "+empty_moov+default_base_moof+cmaf", "-frag_duration", "1000000", "file:" + clip + ".part",
    ]);
    File.Move(clip + ".part", clip, overwrite: true);
}

var size = new FileInfo(clip).Length;
Console.WriteLine($"input {clip}: {size / 1e6:0.0} MB, {size * 8 / 1e6 / seconds:0.0} Mbps over {seconds} s; {Environment.ProcessorCount} cores; {runs} runs each, best kept");

// Warm-up, untimed: the packager's JIT (the worker is a long-running process) and the page cache for both.
var cold = await PackagerAsync();
await FfmpegAsync(encrypt: true);
Console.WriteLine($"packager cold first run (JIT included): {cold.Seconds:0.000} s; wrote {cold.Files} files, {cold.Written / 1e6:0.0} MB");

var packager = new List<(double Seconds, double Cpu)>();
var ffmpeg = new List<double>();
var copy = new List<double>();
for (var run = 1; run <= runs; run++)
{
    var p = await PackagerAsync();
    packager.Add((p.Seconds, p.Cpu));
    ffmpeg.Add(await FfmpegAsync(encrypt: true));
    copy.Add(await FfmpegAsync(encrypt: false));
    Console.WriteLine($"run {run}: packager+cenc {packager[^1].Seconds:0.000} s (CPU {packager[^1].Cpu:0.000} s), " +
        $"ffmpeg cenc {ffmpeg[^1]:0.000} s, ffmpeg copy without encryption {copy[^1]:0.000} s");
}

var bestPackager = packager.MinBy(p => p.Seconds);
double bp = bestPackager.Seconds, bf = ffmpeg.Min(), bc = copy.Min();
double mp = size / 1e6 / bp, mf = size / 1e6 / bf, mc = size / 1e6 / bc;
Console.WriteLine();
Console.WriteLine("| way | best wall time (s) | MB/s | speed vs ffmpeg cenc |");
Console.WriteLine("|---|---:|---:|---:|");
Console.WriteLine($"| packager: file → demux → CMAF segments + cenc → files | {bp:0.000} | {mp:0} | {mp / mf:0.00}x |");
Console.WriteLine($"| ffmpeg -c copy -encryption_scheme cenc-aes-ctr → mp4 | {bf:0.000} | {mf:0} | 1.00x |");
Console.WriteLine($"| ffmpeg -c copy, no encryption (reference) | {bc:0.000} | {mc:0} | {mc / mf:0.00}x |");
Console.WriteLine($"packager/ffmpeg speed ratio: {mp / mf:0.00} (goal ≥ 2); packager cenc {mp:0} MB/s, CPU {bestPackager.Cpu:0.000} s " +
    $"for {bp:0.000} s wall ({bestPackager.Cpu / bp:0.00} cores) (goal ≥ 1000 MB/s on one core)");
return 0;

async Task<(double Seconds, double Cpu, int Files, long Written)> PackagerAsync()
{
    var output = Fresh("packager");
    var sink = new FolderSink(output);
    using var self = Process.GetCurrentProcess();
    var cpu = self.TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    await using (var file = new FileStream(clip, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0))
    {
        // 64 KiB reads, as from ffmpeg's stdout pipe: boxes and samples straddle buffer segments.
        var reader = PipeReader.Create(file, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
        using var packager = new CmafPackager(new PackagerOptions(4) { EncryptionFor = (_, _) => encryption }, sink);
        await new FragmentedMp4Demuxer().RunAsync(reader, packager, CancellationToken.None);
        await packager.CompleteAsync(CancellationToken.None);
        await reader.CompleteAsync();
    }

    var elapsed = watch.Elapsed.TotalSeconds;
    self.Refresh();
    return (elapsed, (self.TotalProcessorTime - cpu).TotalSeconds, sink.Files, sink.Bytes);
}

async Task<double> FfmpegAsync(bool encrypt)
{
    var output = Path.Combine(Fresh("ffmpeg"), "out.mp4");
    List<string> arguments = ["-hide_banner", "-nostats", "-loglevel", "error", "-y", "-i", "file:" + clip, "-c", "copy"];
    if (encrypt)
    {
        arguments.AddRange(["-encryption_scheme", "cenc-aes-ctr", "-encryption_key", KeyHex, "-encryption_kid", KeyIdHex]);
    }

    arguments.AddRange(["-f", "mp4", "file:" + output]);
    var watch = Stopwatch.StartNew();
    await RunAsync("ffmpeg", arguments);
    return watch.Elapsed.TotalSeconds;
}

static async Task RunAsync(string program, IReadOnlyList<string> arguments)
{
    var psi = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true };
    foreach (var a in arguments)
    {
        psi.ArgumentList.Add(a);
    }

    using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {program}");
    var stderr = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {await stderr}");
    }
}

string Fresh(string name)
{
    var dir = Path.Combine(work, name);
    if (Directory.Exists(dir))
    {
        Directory.Delete(dir, recursive: true);
    }

    Directory.CreateDirectory(dir);
    return dir;
}

int Arg(string name, int fallback) =>
    args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

/// <summary>Writes each init and media segment to its own file, as the worker's work folder does.</summary>
internal sealed class FolderSink(string folder) : ISegmentSink
{
    public int Files { get; private set; }

    public long Bytes { get; private set; }

    public async ValueTask WriteAsync(PackagedObject packaged, CancellationToken cancellationToken)
    {
        var (fileName, data) = (packaged.Name, packaged.Bytes);
        await using var file = new FileStream(Path.Combine(folder, fileName), FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        await file.WriteAsync(data, cancellationToken);
        PooledSegmentMemory.Release(data); // written: the buffer goes back to the pool, as the worker's sink does
        Files++;
        Bytes += data.Length;
    }
}
