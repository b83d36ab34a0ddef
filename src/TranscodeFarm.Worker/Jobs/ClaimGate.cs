using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Health;
using TranscodeFarm.Worker.Health;

namespace TranscodeFarm.Worker.Jobs;

/// <summary>
/// Whether this worker may claim jobs now: not while its <c>store-write</c> check is unhealthy (or stale), since a job it took
/// would encode for nothing and then fail at publish. Read from the <see cref="HealthBoard"/>, never a check of its own. Pausing
/// and resuming are logged once for the worker (not per slot) and shown by <c>transcodefarm_worker_claiming</c> (0 or 1).
/// </summary>
public sealed partial class ClaimGate(HealthBoard board, WorkerIdentity identity, IOptions<HealthOptions> health, TimeProvider time, ILogger<ClaimGate> logger)
{
    private readonly Lock _lock = new();
    private bool? _open;

    /// <summary>Returns when claiming is allowed; until then waits, looking at the board a few times a second.</summary>
    public async Task WaitOpenAsync(CancellationToken cancellationToken)
    {
        var poll = TimeSpan.FromTicks(Math.Clamp(health.Value.Interval.Ticks, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(1).Ticks));
        while (true)
        {
            var view = board.View(StoreWriteHealthCheck.Name);
            if (view is null || view.Status != CheckStatus.Unhealthy)
            {
                Set(true, view?.Reason);
                return;
            }

            if (view.CheckedAgoSeconds is not null)
            {
                Set(false, view.Reason); // not before the first result: "not checked yet" is no reason to log a pause
            }

            await Task.Delay(poll, time, cancellationToken);
        }
    }

    private void Set(bool open, string? reason)
    {
        lock (_lock)
        {
            if (_open == open)
            {
                return;
            }

            var first = _open is null;
            _open = open;
            WorkerMetrics.Claiming.Set(open ? 1 : 0);
            if (!open)
            {
                LogPaused(logger, identity.Id, StoreWriteHealthCheck.Name, reason ?? "");
            }
            else if (!first)
            {
                LogResumed(logger, identity.Id, StoreWriteHealthCheck.Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} claims no jobs until the store can be written ({Check} unhealthy: {Reason})")]
    private static partial void LogPaused(ILogger logger, string workerId, string check, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} claims jobs again: {Check} is healthy")]
    private static partial void LogResumed(ILogger logger, string workerId, string check);
}
