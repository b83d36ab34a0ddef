using TranscodeFarm.Core.Jobs;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// A stage that cannot go on (bad input, a refused asset, a transient trouble) throws this with the job's result;
/// <see cref="TranscodePipeline.RunAsync"/> is the one place that turns it into the job's outcome and cleans up.
/// </summary>
internal sealed class StageFailure(PipelineResult result) : Exception(result.Describe())
{
    public PipelineResult Result { get; } = result;

    /// <summary>The input is at fault: retrying cannot help.</summary>
    public static StageFailure BadInput(PipelineStage stage, string reason) => new(PipelineResult.BadInput(stage, reason));

    /// <summary>Something around the input failed: another attempt may succeed.</summary>
    public static StageFailure Transient(PipelineStage stage, string reason) => new(PipelineResult.Transient(stage, reason));
}
