using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Drm;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Planning;
using TranscodeFarm.Media;
using TranscodeFarm.Queue;
using TranscodeFarm.Catalog;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// The catalog's word on a job (decision 012): the ingest policy before the encode (Fingerprint:Duplicates=alias), the
/// policy on the encode's own fingerprint before publishing, and recording the published asset's fingerprint.
/// A refusal throws <see cref="StageFailure"/> at stage fingerprint.
/// </summary>
public sealed partial class CatalogStage(
    FingerprintExtractor extractor,
    FingerprintCatalog catalog,
    IJobQueue queue,
    ProfileCatalog profiles,
    IOptions<FingerprintOptions> options,
    TimeProvider time,
    ILogger<CatalogStage> logger)
{
    private FingerprintOptions Fp => options.Value;

    /// <summary>
    /// With Fingerprint:Duplicates=alias the source is fingerprinted before the encode (one extra decode), so a duplicate
    /// costs no encode and a blocked upload is refused before it costs one. Returns the duplicated asset's outputs when
    /// they stand in for this job's; null: go on and encode.
    /// </summary>
    public async Task<JobOutputs?> BeforeEncodeAsync(JobRecord job, string sourcePath, SourceInfo source, DrmSettings drm, CancellationToken cancellationToken)
    {
        if (Fp.Duplicates != IngestPolicy.AliasPolicy)
        {
            return null;
        }

        var started = time.GetTimestamp();
        var (fingerprint, _) = await extractor.ExtractAsync(sourcePath, cancellationToken);
        WorkerMetrics.ObserveStage(PipelineStage.Fingerprint, time, started);
        if (fingerprint is null)
        {
            return null; // the encode will say what is wrong with the source
        }

        var matches = await MatchAsync(job, fingerprint.Video, fingerprint.Audio, source.DurationSeconds, cancellationToken);
        var decision = IngestPolicy.Decide(matches, Fp.Duplicates, Fp.PolicyOf);
        if (decision.Action == IngestAction.Reject)
        {
            throw Reject(matches, decision);
        }

        if (decision.Action == IngestAction.Alias && await AliasOutputsAsync(decision.Cause!, job, drm, matches, cancellationToken) is { } outputs)
        {
            Count(matches);
            WorkerMetrics.FingerprintAliased.Inc();
            LogAliased(logger, job.Id, decision.Cause!.EntryId);
            return outputs;
        }

        return null;
    }

    /// <summary>After the encode, before publish: the catalog policy on the encode's own fingerprint. Returns the matches
    /// to record with the job's outputs.</summary>
    public async Task<IReadOnlyList<CatalogMatch>> CheckAsync(
        JobRecord job, VideoFingerprint? video, AudioFingerprint? audio, double durationSeconds, CancellationToken cancellationToken)
    {
        if ((video is null || video.UsableCount == 0) && audio is null)
        {
            return [];
        }

        var matches = await MatchAsync(job, video, audio, durationSeconds, cancellationToken);
        var decision = IngestPolicy.Decide(matches, Fp.Duplicates == IngestPolicy.Off ? IngestPolicy.Off : IngestPolicy.Tag, Fp.PolicyOf);
        if (decision.Action == IngestAction.Reject)
        {
            throw Reject(matches, decision);
        }

        Count(matches);
        var kept = Fp.Duplicates == IngestPolicy.Off ? matches.Where(m => m.Kind != MatchKinds.Duplicate).ToList() : matches;
        if (kept.FirstOrDefault(m => m.Kind == MatchKinds.Duplicate) is { } duplicate)
        {
            LogDuplicate(logger, job.Id, duplicate.EntryId, duplicate.Score);
        }

        return kept;
    }

    /// <summary>The asset's fingerprint goes into the job database; every host's index picks it up.</summary>
    public async Task RecordAsync(JobRecord job, VideoFingerprint? video, AudioFingerprint? audio, double durationSeconds, CancellationToken cancellationToken)
    {
        if ((video is null || video.Count == 0) && audio is null)
        {
            return;
        }

        await catalog.AddAsync(FingerprintCollections.Assets, job.Id, job.Title ?? job.SourceName, durationSeconds, video, audio, cancellationToken);
    }

    private async Task<IReadOnlyList<CatalogMatch>> MatchAsync(JobRecord job, VideoFingerprint? video, AudioFingerprint? audio, double durationSeconds, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var matches = await catalog.MatchAsync(video, audio, durationSeconds, FingerprintCollections.Key(FingerprintCollections.Assets, job.Id),
            Fp.MaxMatches, Fp.DuplicateCoverage, cancellationToken);
        WorkerMetrics.ObserveStage(PipelineStage.Match, time, started);
        return matches;
    }

    private static StageFailure Reject(IReadOnlyList<CatalogMatch> matches, IngestDecision decision)
    {
        Count(matches);
        WorkerMetrics.FingerprintRejected.WithLabels(decision.Cause!.Collection).Inc();
        return StageFailure.BadInput(PipelineStage.Fingerprint, decision.Reason!);
    }

    private static void Count(IReadOnlyList<CatalogMatch> matches)
    {
        foreach (var m in matches)
        {
            WorkerMetrics.FingerprintMatches.WithLabels(m.Kind).Inc();
        }
    }

    /// <summary>
    /// The duplicated asset's outputs, when they can stand in for this job's: it succeeded, with the same profile and
    /// protection (a clear upload must not be aliased to an encrypted asset, nor the other way round). Null: encode.
    /// </summary>
    private async Task<JobOutputs?> AliasOutputsAsync(CatalogMatch duplicate, JobRecord job, DrmSettings drm, IReadOnlyList<CatalogMatch> matches, CancellationToken cancellationToken)
    {
        if (await queue.GetAsync(duplicate.EntryId, cancellationToken) is not { State: JobState.Succeeded, Outputs: { } outputs } original
            || original.Profile != job.Profile
            || JsonSerializer.Serialize(original.Drm ?? profiles.Find(original.Profile)?.Drm ?? DrmSettings.Clear) != JsonSerializer.Serialize(drm))
        {
            return null;
        }

        return outputs with { ObjectCount = 0, TotalBytes = 0, AliasOf = duplicate.EntryId, Matches = matches };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: duplicates asset {AssetId}, not encoded (Fingerprint:Duplicates=alias)")]
    private static partial void LogAliased(ILogger logger, string jobId, string assetId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: duplicates asset {AssetId} (score {Score:0.00}), tagged")]
    private static partial void LogDuplicate(ILogger logger, string jobId, string assetId, double score);
}
