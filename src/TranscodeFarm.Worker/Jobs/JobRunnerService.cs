using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Queue;
using TranscodeFarm.Storage;
using TranscodeFarm.Worker.Ingest;
using TranscodeFarm.Worker.Pipeline;

namespace TranscodeFarm.Worker.Jobs;

/// <summary>
/// Runs jobs in <see cref="WorkerOptions.Slots"/> parallel slots. While a job runs its lease is renewed;
/// a lost lease or a cancel request stops its ffmpeg. On shutdown, slots stop claiming; a running job gets
/// <see cref="WorkerOptions.ShutdownGrace"/> to finish and is then released for another worker.
/// </summary>
public sealed partial class JobRunnerService(
    IJobQueue queue,
    TranscodePipeline pipeline,
    SourceDisposition disposition,
    FarmPaths paths,
    JobSignal signal,
    WorkerIdentity identity,
    ClaimGate gate,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<JobRunnerService> logger) : BackgroundService
{
    private WorkerOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(logger, identity.Id, Options.Slots);
        await Task.WhenAll(Enumerable.Range(0, Options.Slots).Select(_ => SlotLoopAsync(stoppingToken)));
    }

    private async Task SlotLoopAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        IReadOnlyList<string> capabilities;
        try
        {
            capabilities = await identity.CapabilitiesAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            JobRecord? job;
            long started;
            try
            {
                await gate.WaitOpenAsync(stoppingToken); // no claim while the store cannot be written
                started = time.GetTimestamp();
                job = await queue.ClaimAsync(identity.Id, capabilities, Options.LeaseDuration, stoppingToken);
                WorkerMetrics.ClaimSeconds.Observe(time.GetElapsedTime(started).TotalSeconds);
                if (job is null)
                {
                    await signal.WaitAsync(Options.PollInterval, stoppingToken);
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogQueueError(logger, ex);
                await Task.Delay(Options.PollInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            try
            {
                await RunJobAsync(job, started, stoppingToken);
            }
            catch (Exception ex)
            {
                // Recording the outcome failed (database down, a file moved twice): the lease expires and the
                // job is retried; this slot goes on.
                LogJobError(logger, job.Id, ex);
            }
        }
    }

    /// <param name="claimSent">When the claim was sent, on this host's monotonic clock: the lease cannot end sooner than
    /// <see cref="WorkerOptions.LeaseDuration"/> after it.</param>
    private async Task RunJobAsync(JobRecord job, long claimSent, CancellationToken stoppingToken)
    {
        LogRunning(logger, job.Id, job.SourceName, job.Attempts);
        if (job.Reclaimed)
        {
            WorkerMetrics.LeasesReclaimed.Inc();
        }

        WorkerMetrics.JobsRunning.Inc();
        using var stop = new CancellationTokenSource();
        var why = StopReason.None;
        void Stop(StopReason reason)
        {
            if (why == StopReason.None)
            {
                why = reason;
            }

            stop.Cancel();
        }

        // Shutdown does not stop a job at once: it gets a grace period to finish, then it is released.
        await using var onShutdown = stoppingToken.Register(() => stop.CancelAfter(Options.ShutdownGrace));
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(job, claimSent, Stop, heartbeatStop.Token);
        PipelineResult result;
        try
        {
            var lastReport = 0L;
            result = await pipeline.RunAsync(job, async p =>
            {
                // The database gets at most one progress write a second; stage changes always go through.
                if (p.Stage != PipelineStage.Encode || time.GetElapsedTime(lastReport).TotalSeconds >= 1)
                {
                    lastReport = time.GetTimestamp();
                    try
                    {
                        await queue.ReportProgressAsync(job.Id, identity.Id, p, CancellationToken.None);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        LogQueueError(logger, ex); // progress is best effort; the encode must go on
                    }
                }
            }, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            result = PipelineResult.Transient(PipelineStage.Stopped, "the job was stopped");
        }
        catch (ObjectStoreException ex)
        {
            result = ex.Retryable ? PipelineResult.Transient(PipelineStage.Publish, ex.Message) : PipelineResult.BadInput(PipelineStage.Publish, ex.Message);
        }
        catch (Exception ex)
        {
            // Whatever went wrong (including a timeout surfacing as a cancellation), the job is retried, then
            // dead-lettered, with the reason.
            result = PipelineResult.Transient(PipelineStage.Worker, $"{ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
            WorkerMetrics.JobsRunning.Dec();
        }

        if (result.LostLease)
        {
            why = StopReason.LeaseLost;
        }
        else if (stop.IsCancellationRequested && why == StopReason.None)
        {
            why = StopReason.Shutdown;
        }

        await RecordOutcomeAsync(job, result, why);
    }

    private async Task RecordOutcomeAsync(JobRecord job, PipelineResult result, StopReason why)
    {
        var ct = CancellationToken.None; // the outcome must be written even while the host stops
        string outcome;
        if (why == StopReason.LeaseLost)
        {
            outcome = "lease_lost";
        }
        else if (why == StopReason.Shutdown && !result.Succeeded)
        {
            await queue.ReleaseAsync(job.Id, identity.Id, ct);
            outcome = "released";
        }
        else if (result.Succeeded)
        {
            outcome = await queue.CompleteAsync(job.Id, identity.Id, result.Outputs!, ct) ? "succeeded" : "lease_lost";
        }
        else
        {
            var error = why == StopReason.Cancelled ? "cancelled by request" : result.Describe();
            var state = await queue.FailAsync(job.Id, identity.Id, error, result.Retryable, ct);
            outcome = state?.ToWire() ?? "lease_lost";
            LogFailed(logger, job.Id, outcome, error.Split('\n')[0]);
        }

        WorkerMetrics.JobsFinished.WithLabels(outcome).Inc();
        LogFinished(logger, job.Id, outcome);
        if (await queue.GetAsync(job.Id, ct) is { } final && final.State.IsTerminal())
        {
            await disposition.SettleAsync(final, ct);
        }

        if (outcome != "lease_lost")
        {
            TryDelete(paths.WorkFor(job.Id));
        }
    }

    /// <summary>
    /// Renews the lease every <see cref="WorkerOptions.HeartbeatInterval"/>. The database decides when a lease ends (by
    /// its own clock); this host only knows that a renewal it sent at T holds until at least T + LeaseDuration. So it
    /// measures from the send of the last renewal that succeeded, on its monotonic clock (no wall-clock step moves it), and
    /// when no renewal has got through for LeaseDuration − HeartbeatInterval (a partition, a database down) it stops the
    /// job itself: ffmpeg and the uploads end before another worker may take the job, and the fenced publication would
    /// refuse it anyway.
    /// </summary>
    private async Task HeartbeatAsync(JobRecord job, long claimSent, Action<StopReason> stop, CancellationToken cancellationToken)
    {
        var safe = Options.LeaseDuration - Options.HeartbeatInterval;
        var renewedAt = claimSent;
        try
        {
            while (true)
            {
                var left = safe - time.GetElapsedTime(renewedAt);
                if (left > TimeSpan.Zero)
                {
                    await Task.Delay(left < Options.HeartbeatInterval ? left : Options.HeartbeatInterval, time, cancellationToken);
                    left = safe - time.GetElapsedTime(renewedAt);
                }

                if (left <= TimeSpan.Zero)
                {
                    LogLeaseUnrenewable(logger, job.Id, time.GetElapsedTime(renewedAt).TotalSeconds);
                    WorkerMetrics.LeaseRenewalTimeouts.Inc();
                    stop(StopReason.LeaseLost);
                    return;
                }

                var sent = time.GetTimestamp();
                switch (await RenewInTimeAsync(job, left, cancellationToken))
                {
                    case LeaseStatus.Renewed:
                        renewedAt = sent;
                        break;
                    case LeaseStatus.Lost:
                        LogLeaseLost(logger, job.Id);
                        stop(StopReason.LeaseLost);
                        return;
                    case LeaseStatus.CancelRequested:
                        stop(StopReason.Cancelled);
                        return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the job ended
        }
    }

    /// <summary>One renewal that must answer within <paramref name="left"/>; null when it failed or did not answer in time
    /// (retried at the next beat, until the deadline).</summary>
    private async Task<LeaseStatus?> RenewInTimeAsync(JobRecord job, TimeSpan left, CancellationToken cancellationToken)
    {
        var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewal = queue.RenewLeaseAsync(job.Id, identity.Id, Options.LeaseDuration, attempt.Token);
        if (await Task.WhenAny(renewal, Task.Delay(left, time, cancellationToken)) != renewal)
        {
            // A renewal stuck on a dead connection (a partition drops packets, it does not refuse them) must not hold the
            // job past its deadline: the caller stops the job, and the renewal is cancelled on the side (the driver's
            // cancellation may itself wait on the dead network).
            _ = Task.Run(async () =>
            {
                await attempt.CancelAsync();
                await renewal.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                attempt.Dispose();
            }, CancellationToken.None);
            return null;
        }

        attempt.Dispose();
        try
        {
            return await renewal;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogRenewFailed(logger, job.Id, left.TotalSeconds, ex);
            return null;
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // pruned later
        }
    }

    private enum StopReason
    {
        None,
        Shutdown,
        Cancelled,
        LeaseLost,
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} started with {Slots} slot(s)")]
    private static partial void LogStarted(ILogger logger, string workerId, int slots);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: running {Source} (attempt {Attempt})")]
    private static partial void LogRunning(ILogger logger, string jobId, string source, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: {Outcome}")]
    private static partial void LogFinished(ILogger logger, string jobId, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} failed ({State}): {Reason}")]
    private static partial void LogFailed(ILogger logger, string jobId, string state, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: lease lost, another worker owns it now")]
    private static partial void LogLeaseLost(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: renewing the lease failed; the job stops in {SecondsLeft:0.0} s unless a renewal gets through")]
    private static partial void LogRenewFailed(ILogger logger, string jobId, double secondsLeft, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: no lease renewal got through for {Seconds:0.0} s: stopping the job before its lease can run out")]
    private static partial void LogLeaseUnrenewable(ILogger logger, string jobId, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: recording its outcome failed")]
    private static partial void LogJobError(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue error")]
    private static partial void LogQueueError(ILogger logger, Exception exception);
}
