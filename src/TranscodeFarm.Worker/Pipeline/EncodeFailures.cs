using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Media;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>How an encode that did not succeed fails the job.</summary>
internal static class EncodeFailures
{
    /// <summary>ffmpeg's own failure comes first: a packager that saw a truncated stream is only its symptom. Null: it succeeded.</summary>
    public static PipelineResult? Of(ProcessResult encode) => encode switch
    {
        { Outcome: ProcessOutcome.TimedOut } =>
            PipelineResult.Transient(PipelineStage.Encode, $"ffmpeg did not finish within its time limit ({encode.Elapsed.TotalSeconds:0} s)\n{encode.StderrTail}"),
        { Outcome: ProcessOutcome.Exited, ExitCode: not 0 } =>
            PipelineResult.BadInput(PipelineStage.Encode, $"ffmpeg failed with exit code {encode.ExitCode}: the source could not be decoded or encoded\n{encode.StderrTail}"),
        { ConsumerError: Mp4FormatException or NotSupportedException } =>
            PipelineResult.BadInput(PipelineStage.Package, "packaging failed: " + encode.ConsumerError.Message),
        // Disk trouble or an interrupted read may pass on another attempt; anything else would fail the same way again.
        { ConsumerError: IOException or UnauthorizedAccessException or OperationCanceledException or TimeoutException } =>
            PipelineResult.Transient(PipelineStage.Package, $"packaging failed: {encode.ConsumerError.Message}"),
        { ConsumerError: { } error } =>
            PipelineResult.BadInput(PipelineStage.Package, $"packaging failed: {error.GetType().Name}: {error.Message}"),
        { Outcome: not ProcessOutcome.Exited } =>
            PipelineResult.Transient(PipelineStage.Encode, $"the encode was interrupted ({encode.Outcome})\n{encode.StderrTail}"),
        _ => null,
    };
}
