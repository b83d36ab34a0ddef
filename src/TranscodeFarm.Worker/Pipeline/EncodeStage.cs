using System.IO.Pipelines;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Drm;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Planning;
using TranscodeFarm.Core.Subtitles;
using TranscodeFarm.Media;
using TranscodeFarm.Catalog;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// Encode, package and publish while encoding: ffmpeg writes every rendition as a track of one fragmented MP4 on
/// stdout; the packager cuts CMAF segments from it as it arrives and pushes each into the publisher's bounded channel,
/// which uploads them while ffmpeg keeps encoding. At the end the manifests are rendered in memory and checked against
/// what was really uploaded. Throws <see cref="StageFailure"/> when the job cannot go on.
/// </summary>
public sealed class EncodeStage(IEncoder encoder, QualityGate qualityGate, IOptions<WorkerOptions> workerOptions, IOptions<FingerprintOptions> fingerprintOptions, TimeProvider time)
{
    internal async Task<EncodedAsset> RunAsync(
        JobRecord job, SourcePlan source, AssetEncryption encryption, AssetPublisher publisher, string work, Func<JobProgress, ValueTask> onProgress, CancellationToken cancellationToken)
    {
        var plan = source.Plan;
        // Chromaprint's output sits in the attempt's folder: ffmpeg writes it only at the end, and it is checked before
        // it is published.
        // The quality gate rides the encode (decision 024); it is the pipeline's to dispose once it has judged.
        var gate = fingerprintOptions.Value.QualityGate ? EncodeGate.Start(qualityGate, plan, encryption, work, cancellationToken) : null;
        try
        {
            return await EncodeAsync(job, source, encryption, publisher, work, gate, onProgress, cancellationToken);
        }
        catch when (gate is not null)
        {
            await gate.DisposeAsync();
            throw;
        }
    }

    private async Task<EncodedAsset> EncodeAsync(
        JobRecord job, SourcePlan source, AssetEncryption encryption, AssetPublisher publisher, string work, EncodeGate? gate,
        Func<JobProgress, ValueTask> onProgress, CancellationToken cancellationToken)
    {
        var plan = source.Plan;
        var fingerprint = Fingerprint(source, work);
        var started = time.GetTimestamp();
        using var stopEncode = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var packager = new CmafPackager(new PackagerOptions(plan.SegmentSeconds)
        {
            TrackNames = [.. plan.Video.Select(v => v.Name), .. plan.Audio.Select(a => a.Name)],
            TrackLabels = [.. plan.Video.Select(_ => (AudioTrackLabel?)null), .. plan.Audio.Select(a => a.Label)],
            TrackRanges = [.. plan.Video.Select(v => v.Range)],
            EncryptionFor = encryption.For,
            WholeSegmentKeyFor = (t, i) => encryption.Aes128KeyFor(t.Kind == TrackKind.Audio, t.Height, i)?.Key,
            Time = time,
        }, gate?.Behind(publisher.Sink) ?? publisher.Sink);
        var publishing = PublishWhileEncodingAsync(publisher, stopEncode, cancellationToken);
        ProcessResult encode;
        Exception? publishFailure;
        try
        {
            encode = await encoder.EncodeAsync(plan, source.Path, (stdout, ct) => PackageAsync(stdout, gate, packager, ct), p =>
            {
                WorkerMetrics.EncodeSpeed.Set(p.Speed ?? 0);
                return onProgress(new JobProgress(PipelineStage.Encode, p.Fraction(source.Info.DurationSeconds), p.Speed));
            }, stopEncode.Token, fingerprint);
        }
        finally
        {
            // Whatever happened to the encode, the publisher's loop has ended before the attempt goes on (or cleans up).
            publisher.EndOfMedia();
            publishFailure = await publishing;
        }

        WorkerMetrics.ObserveStage(PipelineStage.Encode, time, started);
        if (publishFailure is PackagedObjectRejectedException rejected)
        {
            throw StageFailure.BadInput(PipelineStage.Qc, rejected.Message);
        }

        if (publishFailure is not null)
        {
            ExceptionDispatchInfo.Throw(publishFailure); // the store's error (after its retries) is the job's reason
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (EncodeFailures.Of(encode) is { } failure)
        {
            throw new StageFailure(failure);
        }

        WorkerMetrics.EncodedSeconds.Inc(source.Info.DurationSeconds);
        await onProgress(new JobProgress(PipelineStage.Package, 1, null));
        var subtitles = await PublishSubtitlesAsync(source, packager.Tracks, publisher, cancellationToken);
        var (manifests, unpackaged) = AssetManifests.Render(packager.Tracks, encryption, job.Title ?? job.SourceName, subtitles, ClosedCaptions.Renditions(source.Info, plan));
        if ((unpackaged ?? manifests!.Check(publisher.HasUploaded)) is { } incomplete)
        {
            throw StageFailure.BadInput(PipelineStage.Package, incomplete);
        }

        if (fingerprint is null)
        {
            return new EncodedAsset(packager.Tracks, manifests!, null, null, [], gate);
        }

        var (files, audio) = await FingerprintFilesAsync(packager, fingerprint, cancellationToken);
        return new EncodedAsset(packager.Tracks, manifests!, packager.Fingerprint, audio, files, gate);
    }

    /// <summary>
    /// What the encode also emits for fingerprints: Chromaprint of the first source audio track (the catalog's), and of
    /// every other source track a rendition is made from, the quality gate's reference for those renditions.
    /// </summary>
    private EncodeFingerprint? Fingerprint(SourcePlan source, string work)
    {
        if (!workerOptions.Value.Fingerprint)
        {
            return null;
        }

        var others = source.Plan.Audio.Select(a => a.SourceIndex).Where(i => i > 0).Distinct()
            .Select(i => (i, QualityGate.SourceAudioPrintPath(work, i))).ToList();
        return new EncodeFingerprint(source.Info.Audio is null ? null : Path.Combine(work, FingerprintFiles.Audio))
        {
            SourceAudioPrints = fingerprintOptions.Value.QualityGate ? others : [],
        };
    }

    /// <summary>
    /// The subtitle tracks, cut on the windows of the packaged segments (video's, or the first track's), go up before the
    /// manifests are checked: WebVTT is small, so they are made at the end, in memory, like the manifests.
    /// </summary>
    private static async Task<IReadOnlyList<SubtitleRendition>> PublishSubtitlesAsync(
        SourcePlan source, IReadOnlyList<PackagedTrack> tracks, AssetPublisher publisher, CancellationToken cancellationToken)
    {
        var reference = tracks.FirstOrDefault(t => t.Info.Kind == TrackKind.Video) ?? tracks.FirstOrDefault();
        if (source.Subtitles.Tracks.Count == 0 || reference is not { Segments.Count: > 0 })
        {
            return [];
        }

        var package = SubtitlePackager.Package(source.Subtitles.Tracks, SubtitlePackager.WindowsOf(reference, source.Info.DurationSeconds));
        await publisher.UploadAsync(package.Objects, cancellationToken);
        return package.Renditions;
    }

    /// <summary>The publisher's loop, its failure as a value: the encode is stopped at once (encoding on would only
    /// waste hours of CPU), and the failure is judged after ffmpeg's own outcome is known.</summary>
    private static async Task<Exception?> PublishWhileEncodingAsync(AssetPublisher publisher, CancellationTokenSource stopEncode, CancellationToken cancellationToken)
    {
        try
        {
            await publisher.UploadWhileEncodingAsync(cancellationToken);
            return null;
        }
        catch (Exception ex)
        {
            await stopEncode.CancelAsync();
            return ex;
        }
    }

    /// <summary>ffmpeg's stdout → (a copy to the gate's decoder) → demuxer → (the gate's ledger) → packager.</summary>
    private static async Task PackageAsync(Stream stdout, EncodeGate? gate, CmafPackager packager, CancellationToken cancellationToken)
    {
        var input = gate is null ? stdout : new TeeReadStream(stdout, gate.DecoderInput);
        var reader = PipeReader.Create(input, new StreamPipeReaderOptions(bufferSize: 256 * 1024, leaveOpen: true));
        try
        {
            await new FragmentedMp4Demuxer().RunAsync(reader, gate?.Ahead(packager) ?? packager, cancellationToken);
            await packager.CompleteAsync(cancellationToken);
        }
        finally
        {
            await reader.CompleteAsync();
            if (gate is not null)
            {
                await gate.CompleteDecoderInputAsync(); // the gate decodes what it has and ends
            }
        }
    }

    private async Task<(IReadOnlyList<PackagedObject> Files, AudioFingerprint? Audio)> FingerprintFilesAsync(
        CmafPackager packager, EncodeFingerprint fingerprint, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            var built = await FingerprintFiles.BuildAsync(packager.Fingerprint, fingerprint.ChromaprintPath, cancellationToken);
            // The worker's share: hashing the frames as they arrived, plus building the files. ffmpeg's share is inside the encode.
            WorkerMetrics.FingerprintSeconds.Observe((packager.FingerprintElapsed + time.GetElapsedTime(started)).TotalSeconds);
            WorkerMetrics.FingerprintFrames.Inc(packager.Fingerprint?.Count ?? 0);
            return built;
        }
        catch (FormatException ex)
        {
            throw StageFailure.BadInput(PipelineStage.Fingerprint, "ffmpeg's Chromaprint output is unreadable: " + ex.Message);
        }
    }
}
