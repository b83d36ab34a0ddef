using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TranscodeFarm.Queue.Assets;

namespace TranscodeFarm.Edge.Assets;

/// <summary>
/// Keeps <see cref="EdgeAssets"/> caught up: at start, then whenever PostgreSQL announces a change (NOTIFY), the worker
/// in this process signals one (embedded mode), or Edge:AssetPollInterval passes (the safety net).
/// </summary>
public sealed partial class AssetSyncService(EdgeAssets assets, AssetChangeSignal signal, IAssetChangeNotifications notifications,
    IOptions<EdgeOptions> options, ILogger<AssetSyncService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // NOTIFY wakes the catch-up; so does (re)connecting, for whatever changed while not listening.
        _ = notifications.ListenAsync(_ => signal.Raise(), signal.Raise, stoppingToken);

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await assets.CatchUpAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCatchUpFailed(logger, ex.Message);
            }

            try
            {
                await signal.WaitAsync(options.Value.AssetPollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read asset changes from the job database: {Reason}")]
    private static partial void LogCatchUpFailed(ILogger logger, string reason);
}
