using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Health;

namespace TranscodeFarm.Worker.Health;

/// <summary>
/// Runs every registered health check (<c>AddHealthChecks().AddCheck&lt;T&gt;(name)</c>) on its own loop, every
/// <see cref="HealthOptions.Interval"/>, each bounded by its timeout, and keeps the last result on the <see cref="HealthBoard"/>.
/// A slow or hung check delays only itself. Changes of a check's status are logged once.
/// </summary>
public sealed partial class HealthMonitor(
    IServiceScopeFactory scopes,
    IOptions<HealthCheckServiceOptions> registrations,
    IOptions<HealthOptions> options,
    HealthBoard board,
    TimeProvider time,
    ILogger<HealthMonitor> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(registrations.Value.Registrations.Select(r => LoopAsync(r, stoppingToken)));

    private async Task LoopAsync(HealthCheckRegistration registration, CancellationToken stoppingToken)
    {
        var timeout = HealthBoard.TimeoutOf(registration, options.Value);
        Task<CheckRecord>? abandoned = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                CheckRecord record;
                if (abandoned is { IsCompleted: false })
                {
                    // A check that ignored its cancellation is not started a second time beside itself.
                    record = new CheckRecord(Failure(registration), $"the previous run has not ended {timeout.TotalSeconds:0.#} s after its timeout", time.GetUtcNow());
                }
                else
                {
                    var run = RunOnceAsync(registration, timeout, stoppingToken);
                    try
                    {
                        record = await run.WaitAsync(timeout + TimeSpan.FromSeconds(1), time, stoppingToken);
                        abandoned = null;
                    }
                    catch (TimeoutException)
                    {
                        abandoned = run;
                        record = new CheckRecord(Failure(registration), $"timed out after {timeout.TotalSeconds:0.#} s", time.GetUtcNow());
                    }
                }

                Publish(registration.Name, record);
                await Task.Delay(options.Value.Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // host stopping
        }
    }

    /// <summary>One run of one check: its own scope, its timeout as cancellation; an exception is the failure status with its message.</summary>
    internal async Task<CheckRecord> RunOnceAsync(HealthCheckRegistration registration, TimeSpan timeout, CancellationToken stoppingToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timer.Token);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var check = registration.Factory(scope.ServiceProvider);
            var result = await check.CheckHealthAsync(new HealthCheckContext { Registration = registration }, deadline.Token);
            var status = result.Status switch
            {
                HealthStatus.Healthy => CheckStatus.Healthy,
                HealthStatus.Degraded => CheckStatus.Degraded,
                _ => CheckStatus.Unhealthy,
            };
            return new CheckRecord(status, OneLine(result.Description ?? result.Exception?.Message ?? HealthSummary.Name(status)), time.GetUtcNow());
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            return new CheckRecord(Failure(registration), $"timed out after {timeout.TotalSeconds:0.#} s", time.GetUtcNow());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new CheckRecord(Failure(registration), OneLine(ex.Message), time.GetUtcNow());
        }
    }

    private void Publish(string name, CheckRecord record)
    {
        var before = board.Last(name);
        board.Record(name, record);
        if (before?.Status == record.Status && before.CheckedAt is not null)
        {
            return;
        }

        if (record.Status == CheckStatus.Healthy)
        {
            LogHealthy(logger, name, record.Reason);
        }
        else
        {
            LogNotHealthy(logger, name, HealthSummary.Name(record.Status), record.Reason);
        }
    }

    private static CheckStatus Failure(HealthCheckRegistration registration) =>
        registration.FailureStatus == HealthStatus.Degraded ? CheckStatus.Degraded : CheckStatus.Unhealthy;

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 600 ? line : line[..600] + "…"; // room for a store's code, request id and what to do
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Health check {Check}: healthy ({Reason})")]
    private static partial void LogHealthy(ILogger logger, string check, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check {Check}: {Status}: {Reason}")]
    private static partial void LogNotHealthy(ILogger logger, string check, string status, string reason);
}
