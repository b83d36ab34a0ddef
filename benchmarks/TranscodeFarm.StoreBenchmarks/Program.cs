using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3.Model;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Manifests;
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
var publisher = new AssetPublisher(store, "farm", generation: 1, concurrency: 4, PackagedObjectInspection.None);
var inMemory = Directory.EnumerateFiles(segments).Order(StringComparer.Ordinal)
    .Select(f => new PackagedObject(Path.GetFileName(f), PackagedKind.Segment, File.ReadAllBytes(f))).ToList();
var farm = Stopwatch.StartNew();
await publisher.UploadAsync(inMemory, default);
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
var encoder = new FfmpegEncoder(runner, media);
foreach (var pipelined in new[] { false, true })
{
    // The farm's road: the packager pushes each object into the publisher's bounded channel, uploaded as it comes
    // (pipelined), or every object is kept in memory and uploaded once the encode has ended.
    var assetPublisher = new AssetPublisher(store, pipelined ? "pipe" : "after", generation: 1, concurrency: 4, PackagedObjectInspection.None);
    var kept = new KeepingSink();
    using var packager = new CmafPackager(new PackagerOptions(plan.SegmentSeconds), pipelined ? assetPublisher.Sink : kept);
    var uploading = pipelined ? assetPublisher.UploadWhileEncodingAsync(default) : Task.CompletedTask;
    await encoder.EncodeAsync(plan, clip, async (stdout, ct) =>
    {
        await new FragmentedMp4Demuxer().RunAsync(System.IO.Pipelines.PipeReader.Create(stdout), packager, ct);
        await packager.CompleteAsync(ct);
    }, _ => ValueTask.CompletedTask, default);
    var encoded = Stopwatch.StartNew(); // publish latency counts from the moment ffmpeg exits
    assetPublisher.EndOfMedia();
    await uploading;
    await assetPublisher.UploadAsync(kept.Objects, default);
    var playlists = packager.Tracks.Select(t => new PackagedObject(HlsWriter.PlaylistName(t), PackagedKind.MediaPlaylist, Encoding.UTF8.GetBytes(HlsWriter.Media(t)))).ToList();
    await assetPublisher.UploadAsync(playlists, default);
    await assetPublisher.UploadAsync(
    [
        new PackagedObject(OutputLayout.HlsMaster, PackagedKind.HlsMaster, Encoding.UTF8.GetBytes(HlsWriter.Master(packager.Tracks))),
        new PackagedObject(OutputLayout.DashManifest, PackagedKind.DashManifest, Encoding.UTF8.GetBytes(DashWriter.Write(packager.Tracks, "bench"))),
    ], default);
    encoded.Stop();
    Console.WriteLine($"{(pipelined ? "pipelined upload" : "upload after encode"),-20}: {assetPublisher.Objects} objects, {assetPublisher.Bytes / 1e6:0.0} MB, published {encoded.Elapsed.TotalSeconds:0.00} s after the encode ended");
}

Console.WriteLine("(goal: ≤ 2 s after the encode ends with pipelined upload)");
return 0;

/// <summary>Keeps every packaged object in memory, for the upload-after-encode comparison.</summary>
internal sealed class KeepingSink : ISegmentSink
{
    public List<PackagedObject> Objects { get; } = [];

    public ValueTask WriteAsync(PackagedObject packaged, CancellationToken cancellationToken)
    {
        Objects.Add(packaged);
        return ValueTask.CompletedTask;
    }
}
