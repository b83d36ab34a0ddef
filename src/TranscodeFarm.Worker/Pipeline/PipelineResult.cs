using TranscodeFarm.Core.Jobs;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>How a pipeline run ended. Expected failures are results, not exceptions.</summary>
public sealed record PipelineResult(JobOutputs? Outputs, string? Stage, string? Error, bool Retryable)
{
    public bool Succeeded => Outputs is not null;

    public static PipelineResult Ok(JobOutputs outputs) => new(outputs, null, null, false);

    /// <summary>The input is at fault: retrying cannot help.</summary>
    public static PipelineResult BadInput(string stage, string error) => new(null, stage, error, false);

    /// <summary>Something around the input failed (disk, store, a crash): another attempt may succeed.</summary>
    public static PipelineResult Transient(string stage, string error) => new(null, stage, error, true);

    /// <summary>The fenced publication was refused: another attempt owns the job now, and this one must record nothing.</summary>
    public static PipelineResult LeaseLost() => new(null, "publish", "the lease was lost before publishing: another attempt owns the job", true) { LostLease = true };

    public bool LostLease { get; init; }

    public string Describe() => $"{Stage}: {Error}";
}
