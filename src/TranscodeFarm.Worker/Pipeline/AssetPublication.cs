using TranscodeFarm.Queue.Assets;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// The job database's word on what edges may serve: approving an attempt's objects makes them the asset's published
/// generation; withdrawing takes the asset off every edge. Each is one change every edge follows (and purges its cache
/// for), announced at once to an edge in this process.
/// </summary>
public sealed class AssetPublication(IAssetDirectory directory, AssetChangeSignal signal)
{
    public async Task PublishAsync(string assetId, int generation, bool requireToken, CancellationToken cancellationToken)
    {
        await directory.PublishAsync(assetId, generation, requireToken, cancellationToken);
        signal.Raise();
    }

    /// <summary>Only an asset edges have heard of needs withdrawing: an attempt that never published was never served.</summary>
    public async Task WithdrawAsync(string assetId, string reason, CancellationToken cancellationToken)
    {
        if (await directory.GetAsync(assetId, cancellationToken) is { State: AssetState.Published })
        {
            await directory.WithdrawAsync(assetId, reason, cancellationToken);
            signal.Raise();
        }
    }
}
