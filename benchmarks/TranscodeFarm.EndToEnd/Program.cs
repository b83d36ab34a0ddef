using System.Diagnostics;
using System.Globalization;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Planning;
using TranscodeFarm.Core.Profiles;
using TranscodeFarm.Media;
using TranscodeFarm.Queue;

// End-to-end ladder benchmark, all three ways in the same run on the same clip:
//   raw   - the single ffmpeg command the farm runs (from the same argument builder), nothing else
//   farm  - drop the file into a running `transcodefarm run`: ingest, hash, queue, probe, encode, package, publish
//   naive - one ffmpeg process per rendition (what a pile of scripts does): the source is decoded N times
// Usage: benchmarks/e2e-ladder.sh [--seconds 10] [--runs 1] [--profile h264-cmaf] [--fingerprint on|off|both] [--no-naive]
//   [--farm-env NAME=VALUE]... [--farm-dir DIR] [--timeline]
//   --farm-env: extra environment for the farm process (runtime knobs such as DOTNET_TieredPGO=1, or farm settings),
//   set after the benchmark's own so it can override them; --farm-dir: run the transcodefarm.dll found there (a
//   ReadyToRun publish, say) instead of the one built next to this benchmark; --timeline: print the farm's log lines
//   of the measured job with their time since the drop, to see where the seconds outside ffmpeg go.
//   --fingerprint both: raw and farm are each measured with the content fingerprint emitted by the encode and without
//   (the farm's Worker:Fingerprint, plus its quality gate and catalog check), in alternating order, to give the cost
//   they add.
var seconds = Arg("--seconds", 10);
var runs = Arg("--runs", 1);
var profileName = args.SkipWhile(a => a != "--profile").Skip(1).FirstOrDefault() ?? "h264-cmaf";
var fingerprintMode = args.SkipWhile(a => a != "--fingerprint").Skip(1).FirstOrDefault() ?? "on";
var withNaive = !args.Contains("--no-naive");
var timeline = args.Contains("--timeline");
var farmDir = args.SkipWhile(a => a != "--farm-dir").Skip(1).FirstOrDefault() ?? AppContext.BaseDirectory;
var farmEnv = args.Select((a, i) => (a, i)).Where(x => x.a == "--farm-env" && x.i + 1 < args.Length).Select(x => args[x.i + 1].Split('=', 2)).ToList();
bool[] fingerprintWays = fingerprintMode switch
{
    "on" => [true],
    "off" => [false],
    "both" => [true, false],
    _ => throw new ArgumentException("--fingerprint is on, off or both"),
};
var work = Path.Combine(Path.GetTempPath(), "transcodefarm-e2e");
Directory.CreateDirectory(work);
var runner = new ProcessRunner(TimeProvider.System);
var media = new MediaOptions { MinEncodeTimeout = TimeSpan.FromMinutes(30) };

var clip = Path.Combine(work, $"source-1080p-{seconds}s.mp4");
if (!File.Exists(clip))
{
    Console.WriteLine($"making a {seconds} s 1080p30 clip (testsrc2 + sine)...");
    await Check(runner.RunAsync(new ProcessSpec("ffmpeg",
    [
        "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size=1920x1080:rate=30:duration={seconds}",
        "-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=48000:duration={seconds}",
        "-c:v", "libx264", "-preset", "veryfast", "-b:v", "8M", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clip,
    ], TimeSpan.FromMinutes(10)), new ProcessIo(), CancellationToken.None));
}

var warmups = new List<string>();
for (var w = 0; w < 3; w++)
{
    var warmup = Path.Combine(work, $"warmup-{w}-3s-720p.mp4");
    warmups.Add(warmup);
    if (!File.Exists(warmup))
    {
        await Check(runner.RunAsync(new ProcessSpec("ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=3",
            "-f", "lavfi", "-i", $"sine=frequency={220 + (w * 110)}:sample_rate=48000:duration=3", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", warmup,
        ], TimeSpan.FromMinutes(2)), new ProcessIo(), CancellationToken.None));
    }
}

var profileFile = Path.Combine(AppContext.BaseDirectory, "ffmpeg-profiles", profileName + ".json");
var profile = ProfileParser.Parse(File.ReadAllText(profileFile), profileFile).Profile ?? throw new InvalidOperationException("bad profile");
var source = (await new MediaProber(media).ProbeAsync(clip, CancellationToken.None)).Source!;
var plan = LadderPlanner.Plan(profile, source).Plan!;
Console.WriteLine($"clip {source.Video!.Width}x{source.Video.Height} {source.DurationSeconds:0.#} s, profile {profileName}: " +
    string.Join(", ", plan.Video.Select(v => $"{v.Height}p")) + $" + {plan.Audio.Count} audio; {Environment.ProcessorCount} cores");

var raw = fingerprintWays.ToDictionary(w => w, _ => new List<double>());
var farm = fingerprintWays.ToDictionary(w => w, _ => new List<double>());
var naive = new List<double>();
for (var run = 1; run <= runs; run++)
{
    // Alternate which way goes first, so a slow drift of the (shared) machine does not favour one.
    var order = run % 2 == 1 ? fingerprintWays : fingerprintWays.Reverse().ToArray();
    foreach (var way in order)
    {
        raw[way].Add(await RawAsync(way));
    }

    foreach (var way in order)
    {
        farm[way].Add(await FarmAsync(run, way));
    }

    if (withNaive)
    {
        naive.Add(await NaiveAsync());
    }

    Console.WriteLine($"run {run}: " + string.Join(", ", order.Select(w => $"raw{Way(w)} {raw[w][^1]:0.00} s, farm{Way(w)} {farm[w][^1]:0.00} s"))
        + (withNaive ? $", naive {naive[^1]:0.00} s" : ""));
}

var main = fingerprintWays[0];
double r = Median(raw[main]), f = Median(farm[main]);
Console.WriteLine();
Console.WriteLine("| way | wall time (s) | vs raw |");
Console.WriteLine("|---|---:|---:|");
foreach (var way in fingerprintWays)
{
    Console.WriteLine($"| raw ffmpeg, one process (what the farm runs){Way(way)} | {Median(raw[way]):0.00} | {Median(raw[way]) / r:0.00} |");
    Console.WriteLine($"| farm: drop folder → published asset{Way(way)} | {Median(farm[way]):0.00} | {Median(farm[way]) / r:0.00} |");
}

if (withNaive)
{
    var n = Median(naive);
    Console.WriteLine($"| naive: one ffmpeg per rendition | {n:0.00} | {n / r:0.00} |");
    Console.WriteLine($"naive/raw: {n / r:0.000}");
}

Console.WriteLine($"farm/raw ratio{Way(main)}: {f / r:0.000} (goal ≤ 1.05); realtime factor of raw: {source.DurationSeconds / r:0.00}x");
if (fingerprintWays.Length == 2)
{
    Console.WriteLine($"fingerprint cost: farm {Median(farm[true]) / Median(farm[false]):0.000}x (median {Median(farm[true]):0.00} s vs {Median(farm[false]):0.00} s), "
        + $"raw ffmpeg {Median(raw[true]) / Median(raw[false]):0.000}x (goal ≤ 1.05)");
}

return 0;

string Way(bool fingerprint) => fingerprintWays.Length == 1 ? "" : fingerprint ? " +fingerprint" : " -fingerprint";

async Task<double> RawAsync(bool fingerprint)
{
    var output = Fresh("raw");
    var extra = fingerprint ? new EncodeFingerprint(source.Audio is null ? null : Path.Combine(output, "audio.fp")) : null;
    var watch = Stopwatch.StartNew();
    await Check(runner.RunAsync(new ProcessSpec("ffmpeg", EncodeArgumentBuilder.Build(plan, clip, Path.Combine(output, "ladder.mp4"), extra), TimeSpan.FromMinutes(30)), new ProcessIo(), CancellationToken.None));
    return watch.Elapsed.TotalSeconds;
}

async Task<double> NaiveAsync()
{
    var total = 0.0;
    var single = plan.Video.Select(v => plan with { Video = [v], Audio = [] }).Append(plan with { Video = [], Audio = plan.Audio, OutputFrameRate = null });
    var i = 0;
    foreach (var p in single)
    {
        var output = Fresh($"naive-{i++}");
        var watch = Stopwatch.StartNew();
        await Check(runner.RunAsync(new ProcessSpec("ffmpeg", EncodeArgumentBuilder.Build(p, clip, Path.Combine(output, "rendition.mp4")), TimeSpan.FromMinutes(30)), new ProcessIo(), CancellationToken.None));
        total += watch.Elapsed.TotalSeconds;
    }

    return total;
}

async Task<double> FarmAsync(int run, bool fingerprint)
{
    var data = Fresh($"farm-{run}-{(fingerprint ? "fp" : "nofp")}");
    var port = FreePort();
    var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var a in new[] { Path.Combine(farmDir, "transcodefarm.dll"), "--data-dir", data, "run", "--url", $"http://127.0.0.1:{port}" })
    {
        psi.ArgumentList.Add(a);
    }

    psi.Environment["TRANSCODEFARM__Farm__DefaultProfile"] = profileName;
    psi.Environment["TRANSCODEFARM__Ingest__StableFor"] = "00:00:00";
    psi.Environment["TRANSCODEFARM__Ingest__ScanInterval"] = "00:00:00.100";
    psi.Environment["TRANSCODEFARM__Logging__Format"] = "json";
    // "-fingerprint" is the farm without issue 6's work: no fingerprint, no quality gate (the catalog check is then a no-op).
    psi.Environment["TRANSCODEFARM__Worker__Fingerprint"] = fingerprint ? "true" : "false";
    psi.Environment["TRANSCODEFARM__Fingerprint__QualityGate"] = fingerprint ? "true" : "false";
    foreach (var kv in farmEnv)
    {
        psi.Environment[kv[0]] = kv.Length > 1 ? kv[1] : "";
    }

    using var process = Process.Start(psi)!;
    var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
    process.OutputDataReceived += (_, e) => { if (timeline && e.Data is not null) { lines.Enqueue(e.Data); } };
    process.ErrorDataReceived += (_, e) => { if (timeline && e.Data is not null) { lines.Enqueue(e.Data); } };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    using var http = new HttpClient();
    while (true)
    {
        try
        {
            if ((await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"))).IsSuccessStatusCode)
            {
                break;
            }
        }
        catch (HttpRequestException)
        {
        }

        await Task.Delay(50);
    }

    var queue = new SqliteJobQueue(Path.Combine(data, "queue.db"), QueueClock.Database, new QueueOptions());
    var drop = Path.Combine(data, "drop");
    Directory.CreateDirectory(drop);

    // A farm is a long-running service: warm it up with three 3 s 720p jobs first (four rungs, several fragments each, so
    // the hot paths reach their optimised code), and the figure is a job's cost on a running farm, not start-up and JIT.
    for (var w = 0; w < warmups.Count; w++)
    {
        await DropAndWaitAsync(queue, drop, warmups[w], $"warmup-{w}.mp4");
    }

    var before = await StageSumsAsync(http, port);
    var fingerprintBefore = await FingerprintSecondsAsync(http, port);
    process.Refresh();
    var cpuBefore = process.TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    lines.Clear();
    var job = await DropAndWaitAsync(queue, drop, clip, "bench.mp4", watch);
    var elapsed = watch.Elapsed.TotalSeconds;
    var dropped = TimeProvider.System.GetUtcNow().UtcDateTime - watch.Elapsed;
    process.Refresh();
    var hostCpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds; // the farm process itself, not its ffmpeg child
    var after = await StageSumsAsync(http, port);
    var fingerprintSeconds = await FingerprintSecondsAsync(http, port) - fingerprintBefore;
    Console.WriteLine($"  farm host process CPU during the job: {hostCpu:0.00} s");
    Console.WriteLine("  farm stages: " + string.Join(", ", after.Select(kv => $"{kv.Key} {kv.Value - before.GetValueOrDefault(kv.Key):0.00} s"))
        + (fingerprint ? $"; worker's fingerprint time (hashing + files) {fingerprintSeconds:0.000} s" : ""));
    if (timeline)
    {
        PrintTimeline(lines, dropped, elapsed);
    }

    process.Kill(entireProcessTree: true);
    await process.WaitForExitAsync();
    if (job.State != JobState.Succeeded)
    {
        throw new InvalidOperationException("farm job failed: " + job.Error);
    }

    return elapsed;
}

async Task<JobRecord> DropAndWaitAsync(SqliteJobQueue queue, string drop, string file, string name, Stopwatch? watch = null)
{
    File.Copy(file, Path.Combine(drop, name + ".part"));
    watch?.Restart();
    File.Move(Path.Combine(drop, name + ".part"), Path.Combine(drop, name));
    while (true)
    {
        // Gentle polling: the benchmark must not steal the CPU it is measuring.
        var job = (await queue.ListAsync(null, 10, CancellationToken.None)).FirstOrDefault(j => j.SourceName == name);
        if (job is { State: JobState.Succeeded or JobState.Failed or JobState.Dead })
        {
            return job;
        }

        await Task.Delay(100);
    }
}

// The farm's JSON log lines of the measured job, each with its time since the drop (by the line's own timestamp).
static void PrintTimeline(IEnumerable<string> lines, DateTime dropped, double elapsed)
{
    foreach (var line in lines)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            var at = DateTime.Parse(doc.RootElement.GetProperty("Timestamp").GetString()!.Trim().TrimEnd('Z'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            Console.WriteLine($"  {(at - dropped).TotalSeconds,7:0.000} s  {doc.RootElement.GetProperty("Message").GetString()}");
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            // not a log line (ffmpeg's or the runtime's text): not part of the timeline
        }
    }

    Console.WriteLine($"  {elapsed,7:0.000} s  the benchmark saw the job succeeded");
}

static async Task<Dictionary<string, double>> StageSumsAsync(HttpClient http, int port)
{
    var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
    return System.Text.RegularExpressions.Regex.Matches(text, "^transcodefarm_stage_duration_seconds_sum\\{stage=\"(\\w+)\"\\} ([0-9.eE+-]+)$", System.Text.RegularExpressions.RegexOptions.Multiline)
        .ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
}

static async Task<double> FingerprintSecondsAsync(HttpClient http, int port)
{
    var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
    var m = System.Text.RegularExpressions.Regex.Match(text, "^transcodefarm_fingerprint_seconds_sum ([0-9.eE+-]+)$", System.Text.RegularExpressions.RegexOptions.Multiline);
    return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
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

static async Task Check(Task<ProcessResult> task)
{
    var result = await task;
    if (!result.Succeeded)
    {
        throw new InvalidOperationException("ffmpeg failed: " + result.StderrTail);
    }
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static int FreePort()
{
    var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    l.Start();
    var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    l.Stop();
    return port;
}

int Arg(string name, int fallback) =>
    args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
