using TranscodeFarm.Core.Assets;
using TranscodeFarm.Core.Jobs;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// Publish, after the gate and the catalog passed: what the end of the job made goes up under the attempt's generation
/// (fingerprint files, then media playlists, then the top manifests, so a player that can fetch a manifest finds all it
/// references); then the fenced approval makes the generation the published one; then the root copies.
/// </summary>
public sealed class PublishStage(AssetPublication publication, TimeProvider time)
{
    /// <returns>False when the lease was lost before the approval: nothing was published, the attempt records nothing.</returns>
    internal async Task<bool> PublishAsync(JobRecord job, AssetPublisher publisher, EncodedAsset asset, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        foreach (var batch in new[] { asset.FingerprintFiles, asset.Manifests.MediaPlaylists, asset.Manifests.TopManifests })
        {
            await publisher.UploadAsync(batch, cancellationToken);
        }

        // Approval: from this change on, every edge serves this attempt's generation (and drops what it cached before).
        // Fenced: only while this worker still holds this claim's lease, by the database's clock.
        if (!await publication.PublishAsync(job, cancellationToken))
        {
            return false;
        }

        publisher.Approved();
        await publisher.WriteRootCopiesAsync(asset.Manifests.RootCopies(ObjectKeys.GenerationFolder(job.Generation)), cancellationToken);
        WorkerMetrics.ObserveStage(PipelineStage.Publish, time, started);
        WorkerMetrics.PublishedBytes.Inc(publisher.Bytes);
        return true;
    }
}
