using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Drm;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Planning;
using TranscodeFarm.IntegrationTests.Infrastructure;
using TranscodeFarm.Media;
using TranscodeFarm.Catalog;
using TranscodeFarm.Storage;
using TranscodeFarm.Worker;
using TranscodeFarm.Worker.Pipeline;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// The encode stage's sequencing without ffmpeg: a recorded encoder replays a ladder ffmpeg once wrote (2 s, H.264 + AAC)
/// into the packager, the publisher uploads into an in-memory store; how each way out maps to the job's result.
/// </summary>
public sealed class EncodeStageTests : IDisposable
{
    private static readonly ProcessResult Exited = new(ProcessOutcome.Exited, 0, "", TimeSpan.FromSeconds(1));
    private readonly MemoryObjectStore _store = new();
    private readonly string _work = Directory.CreateTempSubdirectory("tf-encode-stage-").FullName;
    private readonly JobRecord _job = new()
    {
        Id = "a1", IdempotencyKey = "k", SourcePath = "/nowhere/clip.mp4", SourceName = "clip.mp4", Profile = "test", Origin = JobOrigin.DropFolder, Generation = 3,
    };

    private static SourcePlan Source => new(
        "/nowhere/clip.mp4",
        new SourceInfo("mov,mp4", 2, null, null),
        new Core.Profiles.LadderProfile { Name = "test" },
        new EncodePlan("test", [], [], SegmentSeconds: 1, GopSeconds: 1, OutputFrameRate: null, SourceDurationSeconds: 2));

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static EncodeStage Stage(IEncoder encoder) => new(
        encoder,
        new QualityGate(new ProcessRunner(TimeProvider.System), new MediaOptions()),
        Options.Create(new WorkerOptions { Fingerprint = false }),
        Options.Create(new FingerprintOptions { QualityGate = false }),
        TimeProvider.System);

    private Task<EncodedAsset> RunAsync(IEncoder encoder, AssetPublisher publisher) =>
        Stage(encoder).RunAsync(_job, Source, AssetEncryption.None, publisher, _work, _ => ValueTask.CompletedTask, default);

    private AssetPublisher Publisher(PackagedObjectInspection? inspection = null) =>
        new(_store, _job.Id, _job.Generation, concurrency: 2, inspection ?? PackagedObjectInspection.None);

    [Fact]
    public async Task Segments_go_up_while_encoding_and_the_manifests_cover_exactly_what_went_up()
    {
        var publisher = Publisher();
        var encoded = await RunAsync(new RecordedEncoder(Exited), publisher);

        Assert.Equal(2, encoded.Tracks.Count);
        var media = encoded.Tracks.SelectMany(t => t.Segments.Select(s => s.FileName).Append(t.InitFileName)).Select(f => $"a1/g3/{f}").Order(StringComparer.Ordinal);
        Assert.Equal(media, _store.Keys); // media only: nothing points at it until the manifests go up
        Assert.Equal([OutputLayout.HlsMaster, OutputLayout.DashManifest], encoded.Manifests.TopManifests.Select(m => m.Name));
        Assert.Null(encoded.Manifests.Check(publisher.HasUploaded));
        Assert.NotNull(encoded.Manifests.Check(_ => false));
    }

    [Fact]
    public async Task A_failed_ffmpeg_fails_the_job_at_encode_with_its_exit_code()
    {
        var failure = await Assert.ThrowsAsync<StageFailure>(() => RunAsync(new RecordedEncoder(Exited with { ExitCode = 1, StderrTail = "boom" }), Publisher()));
        Assert.StartsWith("encode: ffmpeg failed with exit code 1", failure.Result.Describe());
        Assert.False(failure.Result.Retryable);
    }

    [Fact]
    public async Task An_inspection_refusal_fails_the_job_at_qc_and_stops_the_encode()
    {
        var inspection = new PackagedObjectInspection((o, _) => ValueTask.FromResult(o.SegmentNumber == 2 ? "seg 2: not a CMAF fragment" : null));
        var encoder = new RecordedEncoder(Exited, keepsEncoding: true);
        var publisher = Publisher(inspection);
        var failure = await Assert.ThrowsAsync<StageFailure>(() => RunAsync(encoder, publisher));
        Assert.Equal("qc: seg 2: not a CMAF fragment", failure.Result.Describe());
        Assert.True(encoder.Stopped);
        await publisher.DiscardAsync();
        Assert.Empty(_store.Keys);
    }

    [Fact]
    public async Task A_store_that_refuses_uploads_stops_the_encode_and_its_error_is_the_reason()
    {
        _store.BeforePut = (key, _) => key.Contains("seg-", StringComparison.Ordinal)
            ? Task.FromException(new ObjectStoreException("put failed: NoSuchBucket", retryable: false))
            : Task.CompletedTask;
        var encoder = new RecordedEncoder(Exited, keepsEncoding: true);
        var publisher = Publisher();
        var error = await Assert.ThrowsAsync<ObjectStoreException>(() => RunAsync(encoder, publisher));
        Assert.Equal("put failed: NoSuchBucket", error.Message);
        Assert.True(encoder.Stopped);
        Assert.NotEmpty(_store.Keys); // the init segments went up...
        await publisher.DiscardAsync();
        Assert.Empty(_store.Keys); // ...and the attempt's clean-up removed them
    }

    /// <summary>Replays the fixture ffmpeg wrote as the encode's stdout and ends as told; <paramref name="keepsEncoding"/>:
    /// then goes on "encoding" (a long source) until it is stopped.</summary>
    private sealed class RecordedEncoder(ProcessResult result, bool keepsEncoding = false) : IEncoder
    {
        public bool Stopped { get; private set; }

        public async Task<ProcessResult> EncodeAsync(EncodePlan plan, string inputPath, Func<Stream, CancellationToken, Task> consumeOutput,
            Func<FfmpegProgress, ValueTask> onProgress, CancellationToken cancellationToken, EncodeFingerprint? fingerprint = null)
        {
            var ladder = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "ladder-fragmented.mp4"), cancellationToken);
            try
            {
                await consumeOutput(new MemoryStream(ladder, writable: false), cancellationToken);
                if (keepsEncoding)
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }

                return result;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Stopped = true;
                return new ProcessResult(ProcessOutcome.Cancelled, -1, "", TimeSpan.Zero);
            }
            catch (Exception ex)
            {
                Stopped = cancellationToken.IsCancellationRequested;
                return new ProcessResult(ProcessOutcome.ConsumerFailed, -1, "", TimeSpan.Zero) { ConsumerError = ex };
            }
        }
    }
}
