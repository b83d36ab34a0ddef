using System.Text.Json;
using Microsoft.Extensions.Logging;
using TranscodeFarm.Core.Drm;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Planning;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Quality;
using TranscodeFarm.Catalog;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>The fingerprint stages of a job (decision 012): ingest policy, quality gate, and recording the asset.</summary>
public sealed partial class TranscodePipeline
{
    private FingerprintOptions Fp => fingerprintOptions.Value;

    /// <summary>
    /// With Fingerprint:Duplicates=alias the source is fingerprinted before the encode (one extra decode), so a duplicate
    /// costs no encode and a blocked upload is refused before it costs one. Null: go on and encode.
    /// </summary>
    private async Task<PipelineResult?> BeforeEncodeAsync(JobRecord job, string sourcePath, SourceInfo source, DrmSettings drm, CancellationToken cancellationToken)
    {
        if (Fp.Duplicates != IngestPolicy.AliasPolicy)
        {
            return null;
        }

        var started = time.GetTimestamp();
        var (fingerprint, _) = await extractor.ExtractAsync(sourcePath, cancellationToken);
        Observe("fingerprint", started);
        if (fingerprint is null)
        {
            return null; // the encode will say what is wrong with the source
        }

        var matches = await MatchAsync(job, fingerprint.Video, fingerprint.Audio, source.DurationSeconds, cancellationToken);
        var decision = IngestPolicy.Decide(matches, Fp.Duplicates, Fp.PolicyOf);
        if (decision.Action == IngestAction.Reject)
        {
            return Reject(matches, decision);
        }

        if (decision.Action == IngestAction.Alias && await AliasOutputsAsync(decision.Cause!, job, drm, matches, cancellationToken) is { } outputs)
        {
            Count(matches);
            WorkerMetrics.FingerprintAliased.Inc();
            LogAliased(logger, job.Id, decision.Cause!.EntryId);
            return PipelineResult.Ok(outputs);
        }

        return null;
    }

    /// <summary>After the encode, before publish: the catalog policy on the encode's own fingerprint. Null: publish.</summary>
    private async Task<(PipelineResult? Failure, IReadOnlyList<CatalogMatch> Matches)> CheckCatalogAsync(
        JobRecord job, VideoFingerprint? video, AudioFingerprint? audio, double durationSeconds, CancellationToken cancellationToken)
    {
        if ((video is null || video.UsableCount == 0) && audio is null)
        {
            return (null, []);
        }

        var matches = await MatchAsync(job, video, audio, durationSeconds, cancellationToken);
        var decision = IngestPolicy.Decide(matches, Fp.Duplicates == IngestPolicy.Off ? IngestPolicy.Off : IngestPolicy.Tag, Fp.PolicyOf);
        if (decision.Action == IngestAction.Reject)
        {
            return (Reject(matches, decision), matches);
        }

        Count(matches);
        var kept = Fp.Duplicates == IngestPolicy.Off ? matches.Where(m => m.Kind != MatchKinds.Duplicate).ToList() : matches;
        if (kept.FirstOrDefault(m => m.Kind == MatchKinds.Duplicate) is { } duplicate)
        {
            LogDuplicate(logger, job.Id, duplicate.EntryId, duplicate.Score);
        }

        return (null, kept);
    }

    /// <summary>
    /// The gate's verdicts, all gathered while encoding: packaged segments proven against the encoder's samples, and each
    /// rendition's keyframes and sound against the source's fingerprints. Null when everything passes.
    /// </summary>
    private async Task<PipelineResult?> GateAsync(
        GateRun gate, VerifyingSink packaged, PackagedSegmentVerifier verifier, SampleLedger ledger, IReadOnlyList<PackagedTrack> tracks,
        VideoFingerprint? video, AudioFingerprint? audio, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            var decoded = await gate.FinishAsync(tracks, ledger, video, audio, cancellationToken);
            // A packaging fault comes first: a rendition whose segments are not the encoder's fails for that reason.
            var failed = packaged.Faults.Concat(verifier.Finish(tracks)).Concat(decoded.Where(v => !v.Passed))
                .DistinctBy(v => v.Rendition).ToList();
            foreach (var v in failed)
            {
                WorkerMetrics.QcFailures.WithLabels(v.Code ?? "corrupt").Inc();
            }

            return failed.Count == 0 ? null : PipelineResult.BadInput("qc", QualityGate.Describe(failed));
        }
        finally
        {
            Observe("qc", started);
        }
    }

    /// <summary>The asset's fingerprint goes into the job database; every host's index picks it up.</summary>
    private async Task RecordFingerprintAsync(JobRecord job, VideoFingerprint? video, AudioFingerprint? audio, double durationSeconds, CancellationToken cancellationToken)
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
        Observe("match", started);
        return matches;
    }

    private PipelineResult Reject(IReadOnlyList<CatalogMatch> matches, IngestDecision decision)
    {
        Count(matches);
        WorkerMetrics.FingerprintRejected.WithLabels(decision.Cause!.Collection).Inc();
        return PipelineResult.BadInput("fingerprint", decision.Reason!);
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
