using TranscodeFarm.Core.Jobs;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>How a pipeline run ended. Expected failures are results, not exceptions.</summary>
public sealed record PipelineResult(JobOutputs? Outputs, PipelineStage? Stage, string? Error, bool Retryable)
{
    public bool Succeeded => Outputs is not null;

    public static PipelineResult Ok(JobOutputs outputs) => new(outputs, null, null, false);

    /// <summary>The input is at fault: retrying cannot help.</summary>
    public static PipelineResult BadInput(PipelineStage stage, string error) => new(null, stage, error, false);

    /// <summary>Something around the input failed (disk, store, a crash): another attempt may succeed.</summary>
    public static PipelineResult Transient(PipelineStage stage, string error) => new(null, stage, error, true);

    /// <summary>The fenced publication was refused: another attempt owns the job now, and this one must record nothing.</summary>
    public static PipelineResult LeaseLost() => new(null, PipelineStage.Publish, "the lease was lost before publishing: another attempt owns the job", true) { LostLease = true };

    public bool LostLease { get; init; }

    /// <summary>The job's error text: "qc: quality gate: 144p: black or flat picture".</summary>
    public string Describe() => $"{Stage?.Name()}: {Error}";
}
