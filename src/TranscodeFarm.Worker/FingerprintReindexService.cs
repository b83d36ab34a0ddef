using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TranscodeFarm.Catalog;

namespace TranscodeFarm.Worker;

/// <summary>
/// On a worker host (it has ffmpeg and the drop folder), once at start: when stored fingerprints are older than this
/// build writes, re-extracts them (<see cref="FingerprintReindexer"/>). Runs in the background after the index is built,
/// so jobs start at once; old rows keep matching with their whole-frame hashes meanwhile. Off with
/// <c>Fingerprint:ReindexAtStart=false</c>. Several workers starting together may each re-extract a row: the result is
/// the same row, at the cost of one decode each.
/// </summary>
public sealed partial class FingerprintReindexService(
    FingerprintReindexer reindexer,
    FingerprintCatalog catalog,
    IOptions<FingerprintOptions> options,
    ILogger<FingerprintReindexService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ReindexAtStart)
        {
            return;
        }

        try
        {
            await Task.Yield();
            // The catalog reads every row anyway (a refresh after its first load reads only new rows) and counts the
            // outdated ones: when none are, as on every start after the one that migrated, nothing is read twice.
            await catalog.RefreshAsync(stoppingToken);
            if (catalog.OutdatedCount == 0)
            {
                return;
            }

            var summary = await reindexer.ReindexAsync(stoppingToken);
            if (summary.Reindexed.Count + summary.Kept.Count > 0)
            {
                LogDone(logger, summary.Reindexed.Count, summary.Kept.Count, summary.Current);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex.Message); // the next start tries again; old rows still match meanwhile
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fingerprint re-index at start: {Reindexed} re-extracted, {Kept} kept at their old version, {Current} already current")]
    private static partial void LogDone(ILogger logger, int reindexed, int kept, int current);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fingerprint re-index at start failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
