using System.Globalization;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Drm;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Manifests;
using TranscodeFarm.Core.Planning;
using TranscodeFarm.Core.Quality;
using TranscodeFarm.Media;
using TranscodeFarm.Queue;
using TranscodeFarm.Catalog;
using TranscodeFarm.Storage;
using TranscodeFarm.Worker.Ingest;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// One job from source to published asset: probe and validate → plan → encode the whole ladder in one
/// ffmpeg process (which also emits the source's fingerprint) → package (finish and check manifests) → quality gate
/// (decode every rendition once) → catalog policy (duplicates, blocked references) → publish (manifests last) →
/// record the fingerprint.
/// </summary>
public sealed partial class TranscodePipeline(
    MediaProber prober,
    FfmpegEncoder encoder,
    IObjectStore store,
    S3Ingest s3Ingest,
    ProfileCatalog profiles,
    AssetKeys assetKeys,
    FarmPaths paths,
    FingerprintExtractor extractor,
    FingerprintCatalog catalog,
    QualityGate qualityGate,
    IJobQueue queue,
    AssetPublication publication,
    IOptions<WorkerOptions> workerOptions,
    IOptions<FingerprintOptions> fingerprintOptions,
    TimeProvider time,
    ILogger<TranscodePipeline> logger)
{
    public async Task<PipelineResult> RunAsync(JobRecord job, Func<JobProgress, ValueTask> onProgress, CancellationToken cancellationToken)
    {
        if (profiles.Find(job.Profile) is not { } profile)
        {
            return PipelineResult.BadInput("plan", $"unknown profile '{job.Profile}' (available: {profiles.Names})");
        }

        // Each attempt gets its own folder: after a kill -9, the dead worker's ffmpeg may still be writing into the
        // previous attempt's folder for a moment, and must never mix its files with this attempt's.
        RemoveEarlierAttempts(job);
        var work = Path.Combine(paths.WorkFor(job.Id), $"attempt-{job.Attempts}");
        var output = Path.Combine(work, "out");
        Directory.CreateDirectory(output);
        var sourcePath = job.SourcePath;
        if (SubmittedSource.TryGetKey(job.SourcePath, out var sourceKey))
        {
            // Uploaded by `submit` on any machine: fetched from the store this worker publishes to, nothing else needed.
            sourcePath = Path.Combine(work, DropFolderLayout.SafeSourceName(job.SourceName));
            try
            {
                if (await SubmittedSources.FetchAsync(store, sourceKey, sourcePath, cancellationToken) is { } unusable)
                {
                    return PipelineResult.BadInput("fetch", unusable);
                }
            }
            catch (ObjectStoreException ex)
            {
                return ex.Retryable ? PipelineResult.Transient("fetch", ex.Message) : PipelineResult.BadInput("fetch", ex.Message);
            }
        }
        else if (job.Origin == JobOrigin.S3Prefix)
        {
            // Such jobs are claimed only by workers that advertise ingest:s3 (Ingest:S3Url or an S3 store), so this is rare.
            if (s3Ingest.For(job.SourcePath) is not { } location)
            {
                return PipelineResult.Transient("fetch", "this worker has neither Ingest:S3Url nor an S3 store (Store:Url) to fetch the source with");
            }

            sourcePath = Path.Combine(work, Path.GetFileName(job.SourcePath));
            await location.DownloadAsync(job.SourcePath, sourcePath, cancellationToken);
        }

        if (!File.Exists(sourcePath))
        {
            return PipelineResult.BadInput("probe", $"the source file is gone ({job.SourceName})");
        }

        // Checked again now, on an open handle: ffprobe and ffmpeg must never meet a link, FIFO or device swapped in since ingest.
        using (var checkedSource = UntrustedFile.Open(sourcePath))
        {
            if (checkedSource.Refusal is { } refusal)
            {
                return PipelineResult.BadInput("probe", refusal);
            }
        }

        await onProgress(new JobProgress("probe", 0, null));
        var probeStarted = time.GetTimestamp();
        var probe = await prober.ProbeAsync(sourcePath, cancellationToken);
        Observe("probe", probeStarted);
        if (probe.Source is not { } source)
        {
            return PipelineResult.BadInput("probe", probe.Error ?? "ffprobe failed");
        }

        var planned = LadderPlanner.Plan(profile, source);
        if (planned.Plan is not { } plan)
        {
            return PipelineResult.BadInput("plan", planned.Error!);
        }

        LogPlan(logger, job.Id, plan.Video.Count, plan.Audio.Count, source.DurationSeconds);
        var drm = job.Drm ?? profile.Drm ?? DrmSettings.Clear;
        if (await BeforeEncodeAsync(job, sourcePath, source, drm, cancellationToken) is { } decided)
        {
            return decided;
        }

        AssetEncryption encryption;
        try
        {
            encryption = await assetKeys.PrepareAsync(job, drm, cancellationToken);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            return PipelineResult.BadInput("drm", ex.Message);
        }

        // Chromaprint's output sits next to, not in, the output folder: ffmpeg writes it only at the end, and everything
        // in the output folder is published.
        var chromaprintPath = Path.Combine(work, FingerprintFiles.Audio);
        var fingerprint = workerOptions.Value.Fingerprint ? new EncodeFingerprint(source.Audio is null ? null : chromaprintPath) : null;
        // Everything this attempt writes goes under its own generation: a worker that lost its lease can neither
        // overwrite nor delete what the attempt that took over writes, and two attempts' objects never mix.
        var publisher = new AssetPublisher(store, time, job.Id, job.Generation);
        var audioIds = Enumerable.Range(plan.Video.Count, plan.Audio.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToHashSet();
        var encodeStarted = time.GetTimestamp();
        using var stopEncode = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The quality gate rides the encode (decision 024): the ledger records every sample the encoder sends, each packaged
        // segment is read back against it on its way out, and one ffmpeg decodes the renditions' keyframes as they are made.
        var gateOn = fingerprintOptions.Value.QualityGate;
        var ledger = new SampleLedger();
        using var verifier = new PackagedSegmentVerifier(ledger, t => encryption.Aes128KeyFor(t.Info.Kind == TrackKind.Audio, t.Info.Height, int.Parse(t.Id, CultureInfo.InvariantCulture))?.Key);
        var verifyingSink = gateOn ? new VerifyingSink(new FolderSink(output), verifier) : null;
        using var packager = new CmafPackager(new PackagerOptions(plan.SegmentSeconds)
        {
            TrackNames = [.. plan.Video.Select(v => v.Name), .. plan.Audio.Select(a => a.Name)],
            EncryptionFor = encryption.For,
            WholeSegmentKeyFor = (t, i) => encryption.Aes128KeyFor(t.Kind == TrackKind.Audio, t.Height, i)?.Key,
            Time = time,
        }, (ISegmentSink?)verifyingSink ?? new FolderSink(output));
        // ffmpeg writes every rendition as a track of one fragmented MP4 on stdout; the packager cuts CMAF segments
        // from it as it arrives, so packaging adds no pass over the files.
        await using var gate = gateOn ? qualityGate.Start(plan, work, cancellationToken) : null;
        var encodeTask = encoder.EncodeAsync(plan, sourcePath, (stdout, ct) => PackageAsync(stdout, gate, ledger, packager, ct), p =>
        {
            WorkerMetrics.EncodeSpeed.Set(p.Speed ?? 0);
            return onProgress(new JobProgress("encode", p.Fraction(source.DurationSeconds), p.Speed));
        }, stopEncode.Token, fingerprint);
        // Segments go to the store while ffmpeg keeps encoding; no manifest is published until the end.
        var uploading = publisher.UploadWhileEncodingAsync(output, audioIds, workerOptions.Value.PublishConcurrency, encodeTask, cancellationToken);
        if (await Task.WhenAny(encodeTask, uploading) == uploading && uploading.IsFaulted)
        {
            // The store refused an upload (after its retries): encoding on would only waste hours of CPU.
            await stopEncode.CancelAsync();
            await encodeTask;
            await DiscardAsync(publisher);
            await uploading; // rethrows the store's error, which becomes the job's reason
        }

        var encode = await encodeTask;
        await uploading;
        Observe("encode", encodeStarted);
        cancellationToken.ThrowIfCancellationRequested();
        if (EncodeFailure(encode) is { } failure)
        {
            await DiscardAsync(publisher);
            return failure;
        }

        WorkerMetrics.EncodedSeconds.Inc(source.DurationSeconds);

        await onProgress(new JobProgress("package", 1, null));
        var packaged = await WriteManifestsAsync(output, packager.Tracks, encryption, job.Title ?? job.SourceName, cancellationToken);
        if (packaged is not null)
        {
            await DiscardAsync(publisher);
            return PipelineResult.BadInput("package", packaged);
        }

        AudioFingerprint? audioFingerprint = null;
        if (fingerprint is not null)
        {
            var fingerprintStarted = time.GetTimestamp();
            try
            {
                audioFingerprint = await FingerprintFiles.WriteAsync(output, packager.Fingerprint, fingerprint.ChromaprintPath, cancellationToken);
            }
            catch (FormatException ex)
            {
                await DiscardAsync(publisher);
                return PipelineResult.BadInput("fingerprint", "ffmpeg's Chromaprint output is unreadable: " + ex.Message);
            }

            // The worker's share: hashing the frames as they arrived, plus writing the files. ffmpeg's share is inside the encode.
            WorkerMetrics.FingerprintSeconds.Observe((packager.FingerprintElapsed + time.GetElapsedTime(fingerprintStarted)).TotalSeconds);
            WorkerMetrics.FingerprintFrames.Inc(packager.Fingerprint?.Count ?? 0);
        }

        if (gate is not null)
        {
            await onProgress(new JobProgress("qc", 1, null));
            if (await GateAsync(gate, verifyingSink!, verifier, ledger, packager.Tracks, packager.Fingerprint, audioFingerprint, cancellationToken) is { } rejected)
            {
                await DiscardAsync(publisher);
                return rejected;
            }
        }

        var (refused, matches) = await CheckCatalogAsync(job, packager.Fingerprint, audioFingerprint, source.DurationSeconds, cancellationToken);
        if (refused is not null)
        {
            await DiscardAsync(publisher);
            return refused;
        }

        await onProgress(new JobProgress("publish", 1, null));
        var publishStarted = time.GetTimestamp();
        var (objects, bytes) = await publisher.PublishAsync(output, audioIds, workerOptions.Value.PublishConcurrency, cancellationToken);
        // Approval: from this change on, every edge serves this attempt's generation (and drops what it cached before).
        // Fenced: only while this worker still holds this claim's lease, by the database's clock.
        if (!await publication.PublishAsync(job, cancellationToken))
        {
            return PipelineResult.LeaseLost();
        }

        await publisher.WriteRootCopiesAsync(output, cancellationToken);
        Observe("publish", publishStarted);
        WorkerMetrics.PublishedBytes.Inc(bytes);
        await RecordFingerprintAsync(job, packager.Fingerprint, audioFingerprint, source.DurationSeconds, cancellationToken);

        return PipelineResult.Ok(new JobOutputs(
            job.Id,
            $"{job.Id}/{OutputLayout.HlsMaster}",
            encryption.WritesDash ? $"{job.Id}/{OutputLayout.DashManifest}" : "",
            [
                .. plan.Video.Select(v => new RenditionSummary(v.Name, "video", v.Width, v.Height, v.BitrateKbps, v.Codec)),
                .. plan.Audio.Select(a => new RenditionSummary(a.Name, "audio", null, null, a.BitrateKbps, a.Codec)),
            ],
            source.DurationSeconds,
            objects,
            bytes)
        { Matches = matches.Count == 0 ? null : matches, Generation = job.Generation });
    }

    private static async Task PackageAsync(Stream stdout, GateRun? gate, SampleLedger ledger, CmafPackager packager, CancellationToken cancellationToken)
    {
        var input = gate is null ? stdout : new TeeReadStream(stdout, gate.Input);
        var reader = PipeReader.Create(input, new StreamPipeReaderOptions(bufferSize: 256 * 1024, leaveOpen: true));
        try
        {
            await new FragmentedMp4Demuxer().RunAsync(reader, new DigestingDemuxHandler(packager, ledger), cancellationToken);
            await packager.CompleteAsync(cancellationToken);
        }
        finally
        {
            await reader.CompleteAsync();
            if (gate is not null)
            {
                await gate.CompleteInputAsync(); // the gate decodes what it has and ends
            }
        }
    }

    /// <summary>ffmpeg's own failure comes first: a packager that saw a truncated stream is only its symptom.</summary>
    private static PipelineResult? EncodeFailure(ProcessResult encode) => encode switch
    {
        { Outcome: ProcessOutcome.TimedOut } =>
            PipelineResult.Transient("encode", $"ffmpeg did not finish within its time limit ({encode.Elapsed.TotalSeconds:0} s)\n{encode.StderrTail}"),
        { Outcome: ProcessOutcome.Exited, ExitCode: not 0 } =>
            PipelineResult.BadInput("encode", $"ffmpeg failed with exit code {encode.ExitCode}: the source could not be decoded or encoded\n{encode.StderrTail}"),
        { ConsumerError: Mp4FormatException or NotSupportedException } =>
            PipelineResult.BadInput("package", "packaging failed: " + encode.ConsumerError.Message),
        // Disk trouble or an interrupted read may pass on another attempt; anything else would fail the same way again.
        { ConsumerError: IOException or UnauthorizedAccessException or OperationCanceledException or TimeoutException } =>
            PipelineResult.Transient("package", $"packaging failed: {encode.ConsumerError.Message}"),
        { ConsumerError: { } error } =>
            PipelineResult.BadInput("package", $"packaging failed: {error.GetType().Name}: {error.Message}"),
        { Outcome: not ProcessOutcome.Exited } =>
            PipelineResult.Transient("encode", $"the encode was interrupted ({encode.Outcome})\n{encode.StderrTail}"),
        _ => null,
    };

    /// <summary>Writes the HLS and DASH manifests over the packaged segments and proves every file they reference exists.</summary>
    private static async Task<string?> WriteManifestsAsync(string output, IReadOnlyList<PackagedTrack> tracks, AssetEncryption encryption, string title, CancellationToken cancellationToken)
    {
        if (tracks.Count == 0 || tracks.Any(t => t.Segments.Count == 0))
        {
            return "packaging produced no segments for at least one rendition (the source has no decodable media?)";
        }

        var manifests = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [OutputLayout.HlsMaster] = HlsWriter.Master(tracks, encryption.HlsSessionKeys()),
        };
        foreach (var t in tracks)
        {
            manifests[HlsWriter.PlaylistName(t)] = HlsWriter.Media(t, encryption.HlsKeysBeforeMap(t), encryption.HlsKeysAfterMap(t));
        }

        if (encryption.WritesDash)
        {
            manifests[OutputLayout.DashManifest] = DashWriter.Write(tracks, title);
        }

        foreach (var (name, text) in manifests)
        {
            await File.WriteAllTextAsync(Path.Combine(output, name), text, cancellationToken);
        }

        var check = ManifestCheck.Check(manifests, encryption.WritesDash);
        var missing = check.ReferencedFiles.Where(f => !File.Exists(Path.Combine(output, f))).Order(StringComparer.Ordinal).ToList();
        if (!check.Ok || missing.Count > 0)
        {
            return "packaging produced an incomplete asset: "
                + string.Join("; ", check.Problems.Concat(missing.Take(5).Select(m => $"{m} is referenced but was not written")));
        }

        return null;
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

    /// <summary>Best effort: segments uploaded for an attempt that failed are unreferenced; remove them. Only this
    /// attempt's own generation is touched: whatever an earlier attempt published stays published.</summary>
    private async Task DiscardAsync(AssetPublisher publisher)
    {
        foreach (var key in publisher.UploadedKeys)
        {
            try
            {
                await store.DeleteAsync(key, CancellationToken.None);
            }
            catch (IOException)
            {
                // unreferenced garbage at worst
            }
        }
    }

    private void Observe(string stage, long started) => WorkerMetrics.StageSeconds.WithLabels(stage).Observe(time.GetElapsedTime(started).TotalSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: encoding {VideoCount} video and {AudioCount} audio renditions of {DurationSeconds:0.0} s")]
    private static partial void LogPlan(ILogger logger, string jobId, int videoCount, int audioCount, double durationSeconds);
}
