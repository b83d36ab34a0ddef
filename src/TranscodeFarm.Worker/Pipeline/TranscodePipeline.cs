using Microsoft.Extensions.Logging;
using TranscodeFarm.Core.Drm;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Jobs;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// One job from source to published asset: fetch, probe and plan → (catalog policy first, with alias) → content keys →
/// encode the whole ladder in one ffmpeg process, packaging and uploading segments as they come, the quality gate
/// checking them and decoding the renditions' keyframes meanwhile → the gate's verdict → catalog policy (duplicates, blocked references) → publish (manifests last, then the fenced
/// approval) → record the fingerprint. A stage that cannot go on throws <see cref="StageFailure"/>; this is the one
/// place that turns it into the job's result, and the attempt's publisher deletes whatever an unapproved attempt uploaded.
/// </summary>
public sealed partial class TranscodePipeline(TranscodeStages stages, AssetPublishers publishers, FarmPaths paths, ILogger<TranscodePipeline> logger)
{
    public async Task<PipelineResult> RunAsync(JobRecord job, Func<JobProgress, ValueTask> onProgress, CancellationToken cancellationToken)
    {
        var publisher = publishers.For(job);
        try
        {
            var profile = stages.Source.ProfileOf(job);
            var work = AttemptFolder(job);
            var source = await stages.Source.PrepareAsync(job, profile, work, onProgress, cancellationToken);
            LogPlan(logger, job.Id, source.Plan.Video.Count, source.Plan.Audio.Count, source.Info.DurationSeconds);
            if (source.Plan.Scan is { } scan)
            {
                LogScan(logger, job.Id, scan.Description);
            }

            var drm = job.Drm ?? profile.Drm ?? DrmSettings.Clear;
            if (await stages.Catalog.BeforeEncodeAsync(job, source.Path, source.Info, drm, cancellationToken) is { } aliased)
            {
                return PipelineResult.Ok(aliased);
            }

            if (stages.Subtitles is { } subtitles)
            {
                source = source with { Subtitles = await subtitles.GatherAsync(job, source, cancellationToken) };
            }

            var encryption = await KeysAsync(job, drm, cancellationToken);
            var encoded = await stages.Encode.RunAsync(job, source, encryption, publisher, work, onProgress, cancellationToken);
            await using (encoded.Gate)
            {
                if (encoded.Gate is { } gate)
                {
                    await onProgress(new JobProgress(PipelineStage.Qc, 1, null));
                    await stages.Gate.CheckAsync(gate, encoded, cancellationToken);
                }
            }

            var matches = await stages.Catalog.CheckAsync(job, encoded.Video, encoded.Audio, source.Info.DurationSeconds, cancellationToken);
            await onProgress(new JobProgress(PipelineStage.Publish, 1, null));
            if (!await stages.Publish.PublishAsync(job, publisher, encoded, cancellationToken))
            {
                return PipelineResult.LeaseLost();
            }

            await stages.Catalog.RecordAsync(job, encoded.Video, encoded.Audio, source.Info.DurationSeconds, cancellationToken);
            return PipelineResult.Ok(Outputs(job, source, encryption, publisher) with { Matches = matches.Count == 0 ? null : matches });
        }
        catch (StageFailure failure)
        {
            return failure.Result;
        }
        finally
        {
            await publisher.DiscardAsync(); // a no-op once the attempt's generation was approved
        }
    }

    private async Task<AssetEncryption> KeysAsync(JobRecord job, DrmSettings drm, CancellationToken cancellationToken)
    {
        try
        {
            return await stages.Keys.PrepareAsync(job, drm, cancellationToken);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            throw StageFailure.BadInput(PipelineStage.Drm, ex.Message);
        }
    }

    private static JobOutputs Outputs(JobRecord job, SourcePlan source, AssetEncryption encryption, AssetPublisher publisher) => new(
        job.Id,
        $"{job.Id}/{OutputLayout.HlsMaster}",
        encryption.WritesDash ? $"{job.Id}/{OutputLayout.DashManifest}" : "",
        [
            .. source.Plan.Video.Select(v => new RenditionSummary(v.Name, "video", v.Width, v.Height, v.BitrateKbps, v.Codec)
            {
                Colour = source.Plan.HdrSource is not { } hdr ? null
                    : v.Range == Core.Planning.DynamicRange.Sdr ? $"SDR (tone-mapped from {hdr.Describe()})"
                    : $"{Core.Packaging.Manifests.HlsWriter.VideoRange(v.Range)} ({hdr.Describe()} kept)",
            }),
            .. source.Plan.Audio.Select(a => new RenditionSummary(a.Name, "audio", null, null, a.BitrateKbps, a.Codec)),
        ],
        source.Info.DurationSeconds,
        publisher.Objects,
        publisher.Bytes)
    {
        Generation = job.Generation,
        SourceScan = source.Plan.Scan?.Description,
        Notes = source.Subtitles.Notes.Count == 0 ? null : source.Subtitles.Notes,
    };

    /// <summary>
    /// Each attempt gets its own folder: after a kill -9, the dead worker's ffmpeg may still be writing into the previous
    /// attempt's folder for a moment, and must never mix its files with this attempt's.
    /// </summary>
    private string AttemptFolder(JobRecord job)
    {
        RemoveEarlierAttempts(job);
        var work = Path.Combine(paths.WorkFor(job.Id), $"attempt-{job.Attempts}");
        Directory.CreateDirectory(work);
        return work;
    }

    /// <summary>Best effort: what earlier attempts left goes now, or with the job's folder when it ends.</summary>
    private void RemoveEarlierAttempts(JobRecord job)
    {
        var folder = new DirectoryInfo(paths.WorkFor(job.Id));
        if (!folder.Exists)
        {
            return;
        }

        foreach (var attempt in folder.EnumerateDirectories("attempt-*"))
        {
            try
            {
                attempt.Delete(recursive: true);
            }
            catch (IOException)
            {
                // a stray encoder still writing there: it will be gone with the job's folder
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: encoding {VideoCount} video and {AudioCount} audio renditions of {DurationSeconds:0.0} s")]
    private static partial void LogPlan(ILogger logger, string jobId, int videoCount, int audioCount, double durationSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: source: {Scan}")]
    private static partial void LogScan(ILogger logger, string jobId, string scan);
}
