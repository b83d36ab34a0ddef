using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Media;
using TranscodeFarm.Worker.Ingest;
using TranscodeFarm.Queue;

namespace TranscodeFarm.Worker.Jobs;

/// <summary>
/// Detects (or reads from Worker:Capabilities) what this host can encode, registers it in the queue's worker
/// table, keeps its heartbeat fresh, and removes it on a clean stop.
/// </summary>
public sealed partial class WorkerRegistrationService(
    IWorkerRegistry registry,
    WorkerIdentity identity,
    CapabilityProbe probe,
    S3Ingest s3Ingest,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<WorkerRegistrationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var configured = options.Value.Capabilities;
        IReadOnlyList<string> capabilities = string.IsNullOrWhiteSpace(configured)
            ? await probe.DetectAsync(stoppingToken)
            : configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // Not hardware but settings: only a worker that can fetch an S3-ingest source claims such jobs (decision 020).
        capabilities = [.. capabilities.Where(c => c != JobCapabilities.IngestS3), .. s3Ingest.CanFetch ? [JobCapabilities.IngestS3] : Array.Empty<string>()];
        identity.SetCapabilities(capabilities);
        LogCapabilities(logger, identity.Id, string.Join(", ", capabilities));
        var info = new WorkerInfo(identity.Id, Environment.MachineName, capabilities, options.Value.Slots, WorkerIdentity.Version, time.GetUtcNow(), time.GetUtcNow());
        await registry.RegisterWorkerAsync(info, stoppingToken);
        WorkerMetrics.WorkersAlive.Set(1);
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await registry.HeartbeatWorkerAsync(identity.Id, stoppingToken);
                    var alive = (await registry.ListWorkersAsync(stoppingToken)).Count(w => time.GetUtcNow() - w.HeartbeatAt < options.Value.LeaseDuration);
                    WorkerMetrics.WorkersAlive.Set(alive);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogHeartbeatFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        await registry.UnregisterWorkerAsync(identity.Id, CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} capabilities: {Capabilities}")]
    private static partial void LogCapabilities(ILogger logger, string workerId, string capabilities);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker heartbeat failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception);
}
