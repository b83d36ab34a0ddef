using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Planning;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// The quality gate before publish (decision 012): decodes every rendition of the encode's ladder file once and holds
/// it against the source's fingerprint. A failed rendition throws <see cref="StageFailure"/> at stage qc.
/// </summary>
public sealed class GateStage(QualityGate qualityGate, TimeProvider time)
{
    /// <param name="ladderPath">The ladder as ffmpeg wrote it (the encode's copy); deleted here, pass or fail.</param>
    public async Task CheckAsync(string ladderPath, string work, EncodePlan plan, VideoFingerprint? video, AudioFingerprint? audio, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            var verdicts = await qualityGate.CheckAsync(ladderPath, work, plan, video, audio, cancellationToken);
            var failed = verdicts.Where(v => !v.Passed).ToList();
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
            File.Delete(ladderPath); // as large as the renditions: not kept past the gate
        }
    }
}
