namespace TranscodeFarm.Core.Jobs;

/// <summary>A job as the queue stores it.</summary>
public sealed record JobRecord
{
    public required string Id { get; init; }
    public required string IdempotencyKey { get; init; }
    public required string SourcePath { get; init; }
    public required string SourceName { get; init; }
    public required string Profile { get; init; }
    public required JobOrigin Origin { get; init; }
    public string? Title { get; init; }
    public int Priority { get; init; }
    public JobState State { get; init; }
    public int Attempts { get; init; }
    public int MaxAttempts { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset NotBefore { get; init; }
    public string? LeaseOwner { get; init; }
    public DateTimeOffset? LeaseExpiresAt { get; init; }
    public bool CancelRequested { get; init; }
    public string? Error { get; init; }
    public JobProgress? Progress { get; init; }
    public JobOutputs? Outputs { get; init; }

    /// <summary>A capability a worker must have to run this job (e.g. "encoder:h264_nvenc"), or null.</summary>
    public string? RequiredCapability { get; init; }

    /// <summary>Protection asked for this job (sidecar or submit); null: the profile's default.</summary>
    public Drm.DrmSettings? Drm { get; init; }

    /// <summary>Edges serve the asset only with a playback token (sidecar "requireToken", submit --require-token).</summary>
    public bool RequireToken { get; init; }

    /// <summary>The fencing token of the current claim: every claim takes the next one, never reused. The attempt writes
    /// only under its asset's generation folder "g{Generation}/" and may publish only that generation, and only while it
    /// holds the lease.</summary>
    public int Generation { get; init; }

    /// <summary>Set on a claim that took the job from a worker whose lease expired (not stored).</summary>
    public bool Reclaimed { get; init; }
}

/// <summary>Where the source came from decides who moves it afterwards.</summary>
public enum JobOrigin
{
    /// <summary>Taken from the drop folder: moved to done/ or failed/ when the job ends.</summary>
    DropFolder,
    /// <summary>Submitted by <c>transcodefarm submit</c>: an object of the S3 store (<see cref="SubmittedSource"/>) or, with the
    /// filesystem store, a private copy; deleted when the job succeeds or is cancelled, kept for `jobs retry` when it fails.</summary>
    Submit,
    /// <summary>Taken from an S3 ingest prefix: the source is an object (s3://bucket/key), moved to done/ or failed/ at the end.</summary>
    S3Prefix,
}

public sealed record JobProgress(PipelineStage Stage, double Fraction, double? Speed);

public sealed record JobOutputs(
    string AssetId,
    string HlsMaster,
    string DashManifest,
    IReadOnlyList<RenditionSummary> Renditions,
    double DurationSeconds,
    int ObjectCount,
    long TotalBytes)
{
    /// <summary>Catalog matches of the upload's fingerprint at ingest (duplicates, excerpts, references that tag).</summary>
    public IReadOnlyList<Fingerprints.CatalogMatch>? Matches { get; init; }

    /// <summary>Set when the job was not encoded because it duplicates this asset (Fingerprint:Duplicates=alias): the
    /// manifests above are that asset's.</summary>
    public string? AliasOf { get; init; }

    /// <summary>The published generation: its objects are under "{AssetId}/g{Generation}/" (0: the asset's root, the layout
    /// before generations, and aliases).</summary>
    public int Generation { get; init; }

    /// <summary>Where this asset's objects are in the store: "{AssetId}/g{Generation}", or the asset alone for generation 0.</summary>
    public string ObjectPrefix => Assets.ObjectKeys.GenerationPrefix(AssetId, Generation);

    /// <summary>What was found about the source's scan and done about it (decision 027), e.g. "interlaced tff 576i25 →
    /// bwdif 50p (container: top field first; idet: …)"; null for a progressive source.</summary>
    public string? SourceScan { get; init; }

    /// <summary>What the job left out and why, though it succeeded (an optional subtitle file that was malformed, a
    /// picture subtitle stream); null when nothing was.</summary>
    public IReadOnlyList<string>? Notes { get; init; }

    /// <summary>The first duplicate match, if any.</summary>
    public string? DuplicateOf => Matches?.FirstOrDefault(m => m.Kind == Fingerprints.MatchKinds.Duplicate)?.EntryId;
}

public sealed record RenditionSummary(string Name, string Kind, int? Width, int? Height, int BitrateKbps, string Codec)
{
    /// <summary>For an HDR source's video (decision 028): "PQ (HDR10 kept)", "SDR (tone-mapped from HLG)"; null otherwise.</summary>
    public string? Colour { get; init; }
}

public sealed record JobEvent(string JobId, DateTimeOffset At, string State, string? WorkerId, string? Message);

public sealed record JobRequest
{
    public required string SourcePath { get; init; }
    public required string SourceName { get; init; }
    public required string ContentHash { get; init; }
    public required string Profile { get; init; }
    public required JobOrigin Origin { get; init; }
    public string? Title { get; init; }
    public int Priority { get; init; }
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Submit a new job even if the same content and profile were submitted before.</summary>
    public bool Force { get; init; }

    /// <summary>A capability a worker must have to run this job (e.g. "encoder:h264_nvenc"), or null.</summary>
    public string? RequiredCapability { get; init; }

    /// <summary>Protection asked for this job; null: the profile's default.</summary>
    public Drm.DrmSettings? Drm { get; init; }

    /// <summary>Edges serve the asset only with a playback token.</summary>
    public bool RequireToken { get; init; }

    /// <summary>The same content with the same profile and protection is one job.</summary>
    public string IdempotencyKey => Drm is null ? $"{ContentHash}:{Profile}"
        : $"{ContentHash}:{Profile}:drm={Drm.Scheme}/{string.Join('+', Drm.Systems)}/{Drm.KeySet}/{Drm.SeparateKeys}/{Drm.ClearLeadSeconds}";
}

public sealed record SubmitResult(JobRecord Job, bool Created);
