using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Planning;
using TranscodeFarm.Core.Profiles;
using TranscodeFarm.Media;
using TranscodeFarm.Storage;
using TranscodeFarm.Worker.Ingest;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// Fetch, probe and plan: the job's source as a local file this attempt may hand to ffprobe and ffmpeg, what is in it,
/// and the ladder the job's profile makes of it. Throws <see cref="StageFailure"/> when the job cannot go on.
/// </summary>
public sealed class SourceStage(IMediaProber prober, IObjectStore store, S3Ingest s3Ingest, ProfileCatalog profiles, TimeProvider time)
{
    /// <summary>The job's profile, checked before anything is fetched.</summary>
    public LadderProfile ProfileOf(JobRecord job) =>
        profiles.Find(job.Profile) ?? throw StageFailure.BadInput(PipelineStage.Plan, $"unknown profile '{job.Profile}' (available: {profiles.Names})");

    public async Task<SourcePlan> PrepareAsync(JobRecord job, LadderProfile profile, string work, Func<JobProgress, ValueTask> onProgress, CancellationToken cancellationToken)
    {
        var sourcePath = await FetchAsync(job, work, cancellationToken);
        if (!File.Exists(sourcePath))
        {
            throw StageFailure.BadInput(PipelineStage.Probe, $"the source file is gone ({job.SourceName})");
        }

        // Checked again now, on an open handle: ffprobe and ffmpeg must never meet a link, FIFO or device swapped in since ingest.
        using (var checkedSource = UntrustedFile.Open(sourcePath))
        {
            if (checkedSource.Refusal is { } refusal)
            {
                throw StageFailure.BadInput(PipelineStage.Probe, refusal);
            }
        }

        await onProgress(new JobProgress(PipelineStage.Probe, 0, null));
        var started = time.GetTimestamp();
        var probe = await prober.ProbeAsync(sourcePath, cancellationToken);
        WorkerMetrics.ObserveStage(PipelineStage.Probe, time, started);
        if (probe.Source is not { } source)
        {
            throw StageFailure.BadInput(PipelineStage.Probe, probe.Error ?? "ffprobe failed");
        }

        if (source.Video is { } video && await prober.DetectScanAsync(sourcePath, source, cancellationToken) is { } scan)
        {
            source = source with { Video = video with { Scan = scan } };
        }

        source = await WithSidecarAudioLabelsAsync(job, source, cancellationToken);
        var planned = LadderPlanner.Plan(profile, source);
        return planned.Plan is { } plan
            ? new SourcePlan(sourcePath, source, profile, plan)
            : throw StageFailure.BadInput(PipelineStage.Plan, planned.Error!);
    }

    /// <summary>
    /// The drop-folder sidecar's audio labels (decision 029) over what the probe found. The sidecar was checked at ingest
    /// and sits beside the source in its processing folder; only here is it known how many audio tracks the source has.
    /// </summary>
    private static async Task<SourceInfo> WithSidecarAudioLabelsAsync(JobRecord job, SourceInfo source, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetDirectoryName(job.SourcePath) ?? ".", DropFolderLayout.SidecarFile);
        if (job.Origin != JobOrigin.DropFolder || !UntrustedFile.Exists(path))
        {
            return source;
        }

        var (sidecar, error) = await Sidecar.ReadAsync(path, cancellationToken);
        if (sidecar is null)
        {
            throw StageFailure.BadInput(PipelineStage.Plan, error!);
        }

        if (sidecar.Audio is null && sidecar.DefaultAudioLanguage is null)
        {
            return source;
        }

        var (tracks, problem) = AudioOverrides.Apply(source.AudioTracks, sidecar.Audio, sidecar.DefaultAudioLanguage);
        return tracks is null
            ? throw StageFailure.BadInput(PipelineStage.Plan, problem!)
            : source with { Audio = tracks.FirstOrDefault(), AudioTracks = tracks };
    }

    /// <summary>Where the source is on this machine: fetched into the attempt's folder when it lives in a store.</summary>
    private async Task<string> FetchAsync(JobRecord job, string work, CancellationToken cancellationToken)
    {
        if (SubmittedSource.TryGetKey(job.SourcePath, out var sourceKey))
        {
            // Uploaded by `submit` on any machine: fetched from the store this worker publishes to, nothing else needed.
            var fetched = Path.Combine(work, DropFolderLayout.SafeSourceName(job.SourceName));
            try
            {
                if (await SubmittedSources.FetchAsync(store, sourceKey, fetched, cancellationToken) is { } unusable)
                {
                    throw StageFailure.BadInput(PipelineStage.Fetch, unusable);
                }
            }
            catch (ObjectStoreException ex)
            {
                throw ex.Retryable ? StageFailure.Transient(PipelineStage.Fetch, ex.Message) : StageFailure.BadInput(PipelineStage.Fetch, ex.Message);
            }

            return fetched;
        }

        if (job.Origin == JobOrigin.S3Prefix)
        {
            // Such jobs are claimed only by workers that advertise ingest:s3 (Ingest:S3Url or an S3 store), so this is rare.
            var location = s3Ingest.For(job.SourcePath)
                ?? throw StageFailure.Transient(PipelineStage.Fetch, "this worker has neither Ingest:S3Url nor an S3 store (Store:Url) to fetch the source with");
            var downloaded = Path.Combine(work, Path.GetFileName(job.SourcePath));
            await location.DownloadAsync(job.SourcePath, downloaded, cancellationToken);
            return downloaded;
        }

        return job.SourcePath;
    }
}
