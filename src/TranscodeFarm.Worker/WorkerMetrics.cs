using Prometheus;
using TranscodeFarm.Core.Jobs;

namespace TranscodeFarm.Worker;

/// <summary>Prometheus metrics of the worker host (prometheus-net's default registry, served on /metrics).</summary>
public static class WorkerMetrics
{
    public static readonly Counter JobsFinished = Metrics.CreateCounter(
        "transcodefarm_jobs_finished_total", "Jobs this worker finished, by outcome.", "outcome");

    public static readonly Gauge Claiming = Metrics.CreateGauge(
        "transcodefarm_worker_claiming", "1 while this worker claims jobs, 0 while it does not (its store-write health check is unhealthy, or has not run yet).");

    public static readonly Gauge JobsRunning = Metrics.CreateGauge(
        "transcodefarm_jobs_running", "Jobs running on this worker now.");

    public static readonly Gauge QueueJobs = Metrics.CreateGauge(
        "transcodefarm_queue_jobs", "Jobs in the queue by state.", "state");

    public static readonly Histogram StageSeconds = Metrics.CreateHistogram(
        "transcodefarm_stage_duration_seconds", "Time spent per pipeline stage.",
        new HistogramConfiguration { LabelNames = ["stage"], Buckets = Histogram.ExponentialBuckets(0.01, 2.5, 14) });

    /// <summary>Time spent in a stage since <paramref name="started"/>, labelled with the stage's lower-case name.</summary>
    public static void ObserveStage(PipelineStage stage, TimeProvider time, long started) =>
        StageSeconds.WithLabels(stage.Name()).Observe(time.GetElapsedTime(started).TotalSeconds);

    public static readonly Gauge EncodeSpeed = Metrics.CreateGauge(
        "transcodefarm_encode_speed_ratio", "Speed of the latest encode as a multiple of real time.");

    public static readonly Counter EncodedSeconds = Metrics.CreateCounter(
        "transcodefarm_encoded_media_seconds_total", "Seconds of source media encoded.");

    public static readonly Histogram FingerprintSeconds = Metrics.CreateHistogram(
        "transcodefarm_fingerprint_seconds", "Worker time per job spent on the content fingerprint: decoding and hashing the frames the encode emits, and writing the files (ffmpeg's share is in the encode stage).",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2.5, 14) });

    public static readonly Counter FingerprintFrames = Metrics.CreateCounter(
        "transcodefarm_fingerprint_frames_total", "Video frames hashed into content fingerprints.");

    public static readonly Counter FingerprintMatches = Metrics.CreateCounter(
        "transcodefarm_fingerprint_matches_total", "Catalog matches of uploads at ingest, by kind (duplicate, excerpt, contains, partial, reference, audio-only)",
        new CounterConfiguration { LabelNames = ["kind"] });

    public static readonly Counter FingerprintRejected = Metrics.CreateCounter(
        "transcodefarm_fingerprint_rejected_total", "Jobs failed because they matched a reference collection whose policy is reject",
        new CounterConfiguration { LabelNames = ["collection"] });

    public static readonly Counter FingerprintAliased = Metrics.CreateCounter(
        "transcodefarm_fingerprint_aliased_total", "Jobs not encoded because they duplicate a published asset (Fingerprint:Duplicates=alias)");

    public static readonly Counter QcFailures = Metrics.CreateCounter(
        "transcodefarm_qc_failures_total", "Renditions the quality gate stopped before publish, by reason (black, frozen, truncated, desync, corrupt, decode, audio)",
        new CounterConfiguration { LabelNames = ["reason"] });

    public static readonly Counter PublishedBytes = Metrics.CreateCounter(
        "transcodefarm_published_bytes_total", "Bytes published to the object store.");

    public static readonly Gauge QueueDepthByPriority = Metrics.CreateGauge(
        "transcodefarm_queue_depth", "Queued jobs by priority.", "priority");

    public static readonly Counter LeasesReclaimed = Metrics.CreateCounter(
        "transcodefarm_leases_reclaimed_total", "Jobs this worker took over from a worker whose lease expired.");

    public static readonly Counter LeaseRenewalTimeouts = Metrics.CreateCounter(
        "transcodefarm_lease_renewal_timeouts_total", "Jobs this worker stopped itself because no lease renewal got through in time (database unreachable).");

    public static readonly Gauge WorkersAlive = Metrics.CreateGauge(
        "transcodefarm_workers_alive", "Worker hosts with a fresh heartbeat in the queue's registry.");

    public static readonly Histogram ClaimSeconds = Metrics.CreateHistogram(
        "transcodefarm_claim_duration_seconds", "Time a claim query takes.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 14) });

    public static readonly Counter StoreRetries = Metrics.CreateCounter(
        "transcodefarm_store_retries_total", "Object store operations retried after a transient failure.");

    public static readonly Counter IngestedFiles = Metrics.CreateCounter(
        "transcodefarm_ingest_files_total", "Files taken from the drop folder, by result.", "result");
}
