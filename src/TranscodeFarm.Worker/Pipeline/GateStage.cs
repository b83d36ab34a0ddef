using TranscodeFarm.Core.Jobs;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// The quality gate's verdict (decisions 012 and 024): everything was gathered during the encode, so this only waits for
/// the gate's decoder to finish its last keyframes and judges. A failed rendition throws <see cref="StageFailure"/> at qc.
/// </summary>
public sealed class GateStage(TimeProvider time)
{
    internal async Task CheckAsync(EncodeGate gate, EncodedAsset encoded, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            var failed = await gate.FailuresAsync(encoded.Tracks, encoded.Video, encoded.Audio, cancellationToken);
            foreach (var v in failed)
            {
                WorkerMetrics.QcFailures.WithLabels(v.Code ?? "corrupt").Inc();
            }

            if (failed.Count > 0)
            {
                throw StageFailure.BadInput(PipelineStage.Qc, QualityGate.Describe(failed));
            }
        }
        finally
        {
            WorkerMetrics.ObserveStage(PipelineStage.Qc, time, started);
        }
    }
}
