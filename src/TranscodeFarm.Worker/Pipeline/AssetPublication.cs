using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Queue.Assets;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// The job database's word on what edges may serve: approving an attempt's objects makes them the asset's published
/// generation, one change every edge follows (and purges its cache for), announced at once to an edge in this process.
/// </summary>
public sealed class AssetPublication(IAssetDirectory directory, AssetChangeSignal signal)
{
    /// <summary>Makes the claim's generation the published one, only if the claim still holds the job's lease (by the
    /// database's clock); false when it does not, and then nothing changed.</summary>
    public async Task<bool> PublishAsync(JobRecord claim, CancellationToken cancellationToken)
    {
        var fence = new LeaseFence(claim.Id, claim.LeaseOwner ?? "", claim.Generation);
        if (await directory.PublishAsync(claim.Id, claim.Generation, claim.RequireToken, fence, cancellationToken) is null)
        {
            return false;
        }

        signal.Raise();
        return true;
    }
}
