using TranscodeFarm.Core.Packaging;
using System.Diagnostics;
using System.Security.Cryptography;
using Amazon.S3.Model;
using TranscodeFarm.Core.Planning;
using TranscodeFarm.Core.Profiles;
using TranscodeFarm.Media;
using TranscodeFarm.Storage;
using TranscodeFarm.Worker.Pipeline;

// S3 publishing benchmark against a local Ceph RGW (benchmarks/s3-publish.sh starts one):
// 1. throughput: ~300 segments of ~1 MB through the farm's publisher vs a plain sequential PutObject loop, same objects;
// 2. publish latency after the encode ends, 30 s clip: pipelined upload vs upload-after-encode.
var endpoint = Environment.GetEnvironmentVariable("S3_ENDPOINT") ?? throw new InvalidOperationException("S3_ENDPOINT not set");
var options = new S3StoreOptions
{
    Bucket = "bench-" + Guid.NewGuid().ToString("N")[..10],
    ServiceUrl = endpoint,
    AccessKey = Environment.GetEnvironmentVariable("S3_ACCESS_KEY")!,
    SecretKey = Environment.GetEnvironmentVariable("S3_SECRET_KEY")!,
};
using var s3 = new S3ObjectStore(options);
await s3.EnsureBucketAsync(default);
var store = new ResilientObjectStore(s3, 6, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10));
var work = Directory.CreateTempSubdirectory("tf-s3bench-").FullName;

// 1. Throughput.
var segments = Path.Combine(work, "segments");
Directory.CreateDirectory(segments);
for (var r = 0; r < 5; r++)
{
    for (var n = 1; n <= 60; n++)
    {
        await File.WriteAllBytesAsync(Path.Combine(segments, $"seg-{r}-{n:00000}.m4s"), RandomNumberGenerator.GetBytes(1_000_000 + (n * 997 % 50_000)));
    }
}

var totalBytes = Directory.EnumerateFiles(segments).Sum(f => new FileInfo(f).Length);
var count = Directory.EnumerateFiles(segments).Count();
var sequential = Stopwatch.StartNew();
foreach (var file in Directory.EnumerateFiles(segments).Order(StringComparer.Ordinal))
{
    await s3.Client.PutObjectAsync(new PutObjectRequest { BucketName = options.Bucket, Key = "plain/" + Path.GetFileName(file), FilePath = file, ContentType = "video/iso.segment" });
}

sequential.Stop();
var publisher = new AssetPublisher(store, TimeProvider.System, "farm", generation: 1);
var farm = Stopwatch.StartNew();
await publisher.PublishAsync(segments, new HashSet<string>(), concurrency: 4, default);
farm.Stop();
double Mbps(Stopwatch w) => totalBytes / w.Elapsed.TotalSeconds / 1e6;
Console.WriteLine($"| publishing {count} segments, {totalBytes / 1e6:0} MB | seconds | MB/s |");
Console.WriteLine("|---|---:|---:|");
Console.WriteLine($"| plain sequential PutObject loop | {sequential.Elapsed.TotalSeconds:0.00} | {Mbps(sequential):0.0} |");
Console.WriteLine($"| farm publisher (4 concurrent, Content-MD5 verified) | {farm.Elapsed.TotalSeconds:0.00} | {Mbps(farm):0.0} |");
Console.WriteLine($"farm/plain throughput ratio: {Mbps(farm) / Mbps(sequential):0.00}");
Console.WriteLine();

// 2. Latency after the encode ends, 30 s 720p clip with the h264-cmaf ladder.
var runner = new ProcessRunner(TimeProvider.System);
var media = new MediaOptions();
var clip = Path.Combine(work, "clip-30s.mp4");
await runner.RunAsync(new ProcessSpec("ffmpeg",
[
    "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=30",
    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=30", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", clip,
], TimeSpan.FromMinutes(5)), new ProcessIo(), default);
var profile = ProfileParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ffmpeg-profiles", "h264-cmaf.json")), "h264-cmaf").Profile!;
var source = (await new MediaProber(media).ProbeAsync(clip, default)).Source!;
var plan = LadderPlanner.Plan(profile, source).Plan!;
var audioIds = new HashSet<string> { plan.Video.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) };
var encoder = new FfmpegEncoder(runner, media);
foreach (var pipelined in new[] { false, true })
{
    var output = Path.Combine(work, pipelined ? "pipelined" : "after");
    var assetPublisher = new AssetPublisher(store, TimeProvider.System, pipelined ? "pipe" : "after", generation: 1);
    Directory.CreateDirectory(output);
    var encodeTask = encoder.EncodeAsync(plan, clip, async (stdout, ct) =>
    {
        // The farm's packaging: segments appear in the folder as ffmpeg produces them.
        using var packager = new CmafPackager(new PackagerOptions(plan.SegmentSeconds), new FolderSink(output));
        await new FragmentedMp4Demuxer().RunAsync(System.IO.Pipelines.PipeReader.Create(stdout), packager, ct);
        await packager.CompleteAsync(ct);
    }, _ => ValueTask.CompletedTask, default);
    var uploading = pipelined
        ? assetPublisher.UploadWhileEncodingAsync(output, audioIds, 4, encodeTask, default)
        : Task.CompletedTask;
    var encoded = Stopwatch.StartNew();
    await encodeTask;
    encoded.Restart(); // publish latency counts from the moment ffmpeg exits
    await uploading;
    var (objects, bytes) = await assetPublisher.PublishAsync(output, audioIds, 4, default);
    Console.WriteLine($"{(pipelined ? "pipelined upload" : "upload after encode"),-20}: {objects} objects, {bytes / 1e6:0.0} MB, published {encoded.Elapsed.TotalSeconds:0.00} s after the encode ended");
}

Console.WriteLine("(goal: ≤ 2 s after the encode ends with pipelined upload)");
return 0;

/// <summary>Writes each packaged file whole (temporary name, then rename), as the worker does.</summary>
internal sealed class FolderSink(string folder) : ISegmentSink
{
    public async ValueTask WriteAsync(PackagedObject packaged, CancellationToken cancellationToken)
    {
        var (fileName, data) = (packaged.Name, packaged.Bytes);
        var temp = Path.Combine(folder, "." + fileName + ".tmp");
        await File.WriteAllBytesAsync(temp, data, cancellationToken);
        File.Move(temp, Path.Combine(folder, fileName), overwrite: true);
    }
}
