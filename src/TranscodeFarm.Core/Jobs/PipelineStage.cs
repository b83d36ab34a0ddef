using System.Text.Json;
using System.Text.Json.Serialization;

namespace TranscodeFarm.Core.Jobs;

/// <summary>
/// Where a job is, or where it failed: a job's progress, the stage of its error ("qc: quality gate: …") and the
/// stage metric's label. Written as the lower-case name (<see cref="PipelineStages.Name"/>) everywhere it leaves the
/// process, the same words as before the stages were typed, so stored progress, error texts and dashboards still read.
/// </summary>
[JsonConverter(typeof(PipelineStageJsonConverter))]
public enum PipelineStage
{
    Fetch,
    Probe,
    Plan,

    /// <summary>Fingerprinting the source and the catalog's ingest policy (a blocked or duplicate upload).</summary>
    Fingerprint,

    /// <summary>Matching a fingerprint against the catalog (a metric label only).</summary>
    Match,
    Drm,
    Encode,
    Package,
    Qc,
    Publish,

    /// <summary>The worker stopped the job (shutdown, lease, cancel): not a stage of the pipeline.</summary>
    Stopped,

    /// <summary>An unexpected error outside any stage.</summary>
    Worker,

    /// <summary>The job is finished (its last progress).</summary>
    Done,
}

public static class PipelineStages
{
    /// <summary>"qc", "encode": every stage is one word, so its lower-cased name is the word used outside.</summary>
    public static string Name(this PipelineStage stage) => stage.ToString().ToLowerInvariant();
}

/// <summary>Stages travel as their lower-case names ("encode"), read back without regard to case.</summary>
public sealed class PipelineStageJsonConverter() : JsonStringEnumConverter<PipelineStage>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false);
