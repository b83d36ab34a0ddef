using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;
using TranscodeFarm.Catalog;

namespace TranscodeFarm.Worker;

/// <summary>
/// Builds this host's fingerprint index from the database at start, then keeps it caught up with what other hosts
/// publish (queries catch up too; this keeps an idle edge node current and its gauge true).
/// </summary>
public sealed partial class FingerprintCatalogService(
    FingerprintCatalog catalog,
    IOptions<FingerprintOptions> options,
    TimeProvider time,
    ILogger<FingerprintCatalogService> logger) : BackgroundService
{
    private static readonly Gauge Entries = Metrics.CreateGauge(
        "transcodefarm_fingerprint_index_entries", "Assets and references in this host's in-memory fingerprint index");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Read at scrape time: queries catch the index up between refreshes, and the gauge must say so.
        Metrics.DefaultRegistry.AddBeforeCollectCallback(() => Entries.Set(catalog.Count));
        var started = time.GetTimestamp();
        var first = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await catalog.RefreshAsync(stoppingToken);
                if (first)
                {
                    LogBuilt(logger, catalog.Count, time.GetElapsedTime(started).TotalSeconds);
                    if (catalog.OutdatedCount is var outdated and > 0)
                    {
                        LogOutdated(logger, outdated);
                    }

                    first = false;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRefreshFailed(logger, ex.Message); // the database may be restarting; the next round tries again
            }

            await Task.Delay(options.Value.RefreshInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fingerprint index built: {Entries} entries in {Seconds:0.00} s")]
    private static partial void LogBuilt(ILogger logger, int entries, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} stored fingerprints are in an older form: they match by whole-frame hashes only (no centre hashes for cropped copies) until re-indexed (worker hosts do it at start; or run `transcodefarm fingerprint reindex`)")]
    private static partial void LogOutdated(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fingerprint index refresh failed: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string reason);
}
