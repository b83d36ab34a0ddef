using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Planning;
using TranscodeFarm.IntegrationTests.Infrastructure;
using TranscodeFarm.Media;
using TranscodeFarm.Queue;
using TranscodeFarm.Queue.Assets;
using TranscodeFarm.Catalog;
using TranscodeFarm.Keys;
using TranscodeFarm.Worker;
using TranscodeFarm.Worker.Ingest;
using TranscodeFarm.Worker.Pipeline;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// The pipeline's sequencing without ffprobe or ffmpeg: a fake probe, a recorded encode, an in-memory store and a fake
/// asset directory. What is uploaded in which order, what the fenced approval decides, and what an attempt leaves behind.
/// </summary>
public sealed class TranscodePipelineTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("tf-pipeline-").FullName;
    private readonly MemoryObjectStore _store = new();
    private readonly List<string> _order = [];

    public TranscodePipelineTests() => _store.BeforePut = (key, _) =>
    {
        lock (_order)
        {
            _order.Add(key);
        }

        return Task.CompletedTask;
    };

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private JobRecord Job()
    {
        var source = Path.Combine(_data, "clip.mp4");
        File.WriteAllBytes(source, [0, 0, 0, 8, (byte)'f', (byte)'r', (byte)'e', (byte)'e']);
        return new JobRecord
        {
            Id = "a1", IdempotencyKey = "k", SourcePath = source, SourceName = "clip.mp4", Profile = "test-tiny", Origin = JobOrigin.DropFolder,
            Generation = 5, LeaseOwner = "w1",
        };
    }

    private TranscodePipeline Pipeline(bool leaseHeld = true, ProbeResult? probe = null, PackagedObjectInspection? inspection = null)
    {
        var time = TimeProvider.System;
        var media = new MediaOptions();
        var profiles = ProfileCatalog.Load(Path.Combine(AppContext.BaseDirectory, "ffmpeg-profiles"));
        var worker = Options.Create(new WorkerOptions { Fingerprint = false, PublishConcurrency = 2 });
        var fingerprints = Options.Create(new FingerprintOptions { QualityGate = false });
        var source = new SourceInfo("mov,mp4", 2, new VideoSourceInfo("h264", 320, 240, 25), new AudioSourceInfo("aac", 1, 48000));
        var stages = new TranscodeStages(
            new SourceStage(new FakeProber(probe ?? new ProbeResult(source, null)), _store, new S3Ingest(null), profiles, time),
            new CatalogStage(new FingerprintExtractor(new ProcessRunner(time), media, new MediaProber(media)), new FingerprintCatalog(Unused.Of<IFingerprintStore>()),
                Unused.Of<IJobQueue>(), profiles, fingerprints, time, NullLogger<CatalogStage>.Instance),
            new AssetKeys(Unused.Of<IContentKeyStore>(), NullLogger<AssetKeys>.Instance),
            new EncodeStage(new ReplayedEncoder(), new QualityGate(new ProcessRunner(time), media), worker, fingerprints, time),
            new GateStage(time),
            new PublishStage(new AssetPublication(FencedDirectory.Create(leaseHeld), new AssetChangeSignal()), time));
        return new TranscodePipeline(stages, new AssetPublishers(_store, worker, inspection ?? PackagedObjectInspection.None), new FarmPaths(_data),
            NullLogger<TranscodePipeline>.Instance);
    }

    private static Task<PipelineResult> RunAsync(TranscodePipeline pipeline, JobRecord job) => pipeline.RunAsync(job, _ => ValueTask.CompletedTask, default);

    [Fact]
    public async Task Media_then_playlists_then_top_manifests_then_approval_then_root_copies()
    {
        var result = await RunAsync(Pipeline(), Job());

        Assert.True(result.Succeeded, result.Describe());
        Assert.Equal(5, result.Outputs!.Generation);
        var first = (string key) => _order.IndexOf(key);
        var media = _order.Where(k => k.EndsWith(".m4s", StringComparison.Ordinal) || k.EndsWith(".mp4", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(media);
        Assert.All(media, k => Assert.StartsWith("a1/g5/", k));
        Assert.True(media.Max(first) < first("a1/g5/media_0.m3u8"));
        Assert.True(first("a1/g5/media_1.m3u8") < first("a1/g5/" + OutputLayout.HlsMaster));
        Assert.True(first("a1/g5/" + OutputLayout.DashManifest) < first("a1/" + OutputLayout.HlsMaster)); // root copies after approval
        Assert.Contains("g5/", System.Text.Encoding.UTF8.GetString(_store.Bytes("a1/" + OutputLayout.HlsMaster)));
        Assert.Equal(result.Outputs.ObjectCount, _store.Keys.Count(k => k.StartsWith("a1/g5/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_lost_lease_publishes_nothing_and_leaves_nothing()
    {
        var result = await RunAsync(Pipeline(leaseHeld: false), Job());

        Assert.True(result.LostLease);
        Assert.Equal("publish: the lease was lost before publishing: another attempt owns the job", result.Describe());
        Assert.NotEmpty(_order); // it had uploaded its generation...
        Assert.Empty(_store.Keys); // ...and removed all of it, with no root copy
    }

    [Fact]
    public async Task An_inspection_refusal_is_a_qc_failure_and_the_attempt_leaves_nothing()
    {
        var refuseAudio = new PackagedObjectInspection((o, _) => ValueTask.FromResult(o.IsAudio && o.Kind == Core.Packaging.PackagedKind.Segment ? "aac-mono: bad fragment" : null));
        var result = await RunAsync(Pipeline(inspection: refuseAudio), Job());

        Assert.Equal("qc: aac-mono: bad fragment", result.Describe());
        Assert.False(result.Retryable);
        Assert.Empty(_store.Keys);
    }

    [Fact]
    public async Task Failures_before_the_encode_keep_their_stage_names()
    {
        Assert.Equal("probe: could not read the file as media", (await RunAsync(Pipeline(probe: new ProbeResult(null, "could not read the file as media")), Job())).Describe());
        Assert.StartsWith("plan: unknown profile 'nope'", (await RunAsync(Pipeline(), Job() with { Profile = "nope" })).Describe());
        Assert.Empty(_order);
    }

    private sealed class FakeProber(ProbeResult result) : IMediaProber
    {
        public Task<ProbeResult> ProbeAsync(string path, CancellationToken cancellationToken) => Task.FromResult(result);
    }

    /// <summary>Replays a ladder ffmpeg once wrote (2 s, H.264 + AAC) as the encode's stdout.</summary>
    private sealed class ReplayedEncoder : IEncoder
    {
        public async Task<ProcessResult> EncodeAsync(EncodePlan plan, string inputPath, Func<Stream, CancellationToken, Task> consumeOutput,
            Func<FfmpegProgress, ValueTask> onProgress, CancellationToken cancellationToken, EncodeFingerprint? fingerprint = null)
        {
            var ladder = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "ladder-fragmented.mp4"), cancellationToken);
            try
            {
                await consumeOutput(new MemoryStream(ladder, writable: false), cancellationToken);
                return new ProcessResult(ProcessOutcome.Exited, 0, "", TimeSpan.FromSeconds(1));
            }
            catch (Exception ex)
            {
                return new ProcessResult(ProcessOutcome.ConsumerFailed, -1, "", TimeSpan.Zero) { ConsumerError = ex };
            }
        }
    }

    /// <summary>The asset directory's fenced publication, answering as if the lease were held or lost.</summary>
    public class FencedDirectory : DispatchProxy
    {
        private bool _leaseHeld;

        public static IAssetDirectory Create(bool leaseHeld)
        {
            var directory = Create<IAssetDirectory, FencedDirectory>();
            ((FencedDirectory)(object)directory)._leaseHeld = leaseHeld;
            return directory;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.Name == nameof(IAssetDirectory.PublishAsync) && args is [string id, int generation, bool token, LeaseFence, CancellationToken]
                ? Task.FromResult<AssetRecord?>(_leaseHeld ? new AssetRecord(id, AssetState.Published, generation, 1, DateTimeOffset.UnixEpoch, token, null) : null)
                : throw new NotSupportedException(targetMethod?.Name);
    }
}
