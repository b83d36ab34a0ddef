using System.ComponentModel;
using System.Diagnostics;

namespace TranscodeFarm.Media;

/// <summary>
/// The thin process seam: starts a program with an argument list, streams stdout lines to a callback,
/// always drains stderr (keeping a tail for error reports), and on timeout or cancellation first asks the
/// program to quit, then kills its whole tree.
/// </summary>
public sealed class ProcessRunner(TimeProvider time)
{
    private const int StderrTailLines = 40;

    public Task<ProcessResult> RunAsync(ProcessSpec spec, Func<string, ValueTask>? onStdoutLine, CancellationToken cancellationToken) =>
        RunAsync(spec, new ProcessIo { OnStdoutLine = onStdoutLine }, cancellationToken);

    /// <summary>
    /// Runs the process. With <see cref="ProcessIo.StdoutConsumer"/>, stdout is handed over as a byte stream (ffmpeg's
    /// media output); if the consumer fails, the process is stopped at once, since nobody reads what it writes.
    /// </summary>
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, ProcessIo io, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(spec.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = spec.WorkingDirectory ?? "",
        };
        foreach (var a in spec.Arguments)
        {
            psi.ArgumentList.Add(a);
        }

        // Created before the process starts: nothing after Start() may throw and leave ffmpeg unwatched.
        using var timeout = new CancellationTokenSource(spec.Timeout, time);
        using var consumerFailed = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, consumerFailed.Token);
        var started = time.GetTimestamp();
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"cannot start '{spec.FileName}': {ex.Message}", ex);
        }

        var stderr = new StderrTail(StderrTailLines);
        var stderrTask = DrainAsync(process.StandardError, line =>
        {
            if (io.IsProgressLine?.Invoke(line) != true)
            {
                stderr.Add(line);
            }

            return io.OnStderrLine?.Invoke(line) ?? ValueTask.CompletedTask;
        });
        var stdoutTask = io.StdoutConsumer is { } consume
            ? ConsumeAsync(process.StandardOutput.BaseStream, consume, consumerFailed, linked.Token)
            : DrainAsync(process.StandardOutput, io.OnStdoutLine ?? (_ => ValueTask.CompletedTask));

        using var feedStop = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
        var stdinTask = io.StdinProducer is { } produce ? FeedAsync(process.StandardInput.BaseStream, produce, feedStop.Token) : Task.CompletedTask;
        var outcome = ProcessOutcome.Exited;
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            outcome = cancellationToken.IsCancellationRequested ? ProcessOutcome.Cancelled
                : timeout.IsCancellationRequested ? ProcessOutcome.TimedOut
                : ProcessOutcome.ConsumerFailed;
            await StopAsync(process, spec);
        }

        // A process that exited on its own no longer reads its input: end the feed so its producer returns.
        await feedStop.CancelAsync();
        await stdinTask;
        // The pipes close when the process exits; a grandchild holding them is killed with the tree above.
        await Task.WhenAll(stderrTask, stdoutTask).WaitAsync(TimeSpan.FromSeconds(10), time, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        // A consumer that failed, was cancelled or has not finished has not read the whole output: never a success.
        var consumerError = io.StdoutConsumer is null ? null
            : stdoutTask.IsFaulted ? stdoutTask.Exception?.GetBaseException()
            : stdoutTask.IsCanceled ? new OperationCanceledException("reading the process's output was cancelled")
            : !stdoutTask.IsCompleted ? new TimeoutException("the output's reader did not finish within 10 s of the process exiting")
            : null;
        return new ProcessResult(outcome, process.HasExited ? process.ExitCode : -1, stderr.ToString(), time.GetElapsedTime(started)) { ConsumerError = consumerError };
    }

    private async Task StopAsync(Process process, ProcessSpec spec)
    {
        try
        {
            if (spec.QuitCommand is not null && !process.HasExited)
            {
                await process.StandardInput.WriteAsync(spec.QuitCommand);
                await process.StandardInput.FlushAsync();
            }
        }
        catch (IOException)
        {
            // stdin already closed: the process is going away on its own
        }

        using var grace = new CancellationTokenSource(spec.GracePeriod, time);
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static async Task FeedAsync(Stream stdin, Func<Stream, CancellationToken, Task> produce, CancellationToken cancellationToken)
    {
        try
        {
            await produce(stdin, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the process stopped reading (exited, or was stopped): the feed ends here
        }
        finally
        {
            try
            {
                stdin.Close(); // end of input
            }
            catch (IOException)
            {
                // already broken
            }
        }
    }

    private static async Task ConsumeAsync(Stream stdout, Func<Stream, CancellationToken, Task> consume, CancellationTokenSource failed, CancellationToken cancellationToken)
    {
        try
        {
            await consume(stdout, cancellationToken);
        }
        catch
        {
            await failed.CancelAsync(); // stops the process: a writer with no reader would block forever
            // Keep reading (and dropping) what it still writes: asked to quit, ffmpeg flushes its last packets, and a
            // full pipe would hold it until the grace period ends and it is killed.
            try
            {
                await stdout.CopyToAsync(Stream.Null, CancellationToken.None);
            }
            catch (IOException)
            {
                // the pipe broke as the process died: nothing left to drain
            }

            throw;
        }
    }

    private static async Task DrainAsync(StreamReader reader, Func<string, ValueTask> onLine)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            try
            {
                await onLine(line);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Keep reading whatever the callback does: a full pipe would block ffmpeg until its timeout.
            }
        }
    }

    /// <summary>Keeps the last N stderr lines; thread-safe because it is written by one reader and read after it ends.</summary>
    private sealed class StderrTail(int capacity)
    {
        private readonly Queue<string> _lines = new();
        private readonly Lock _gate = new();

        public void Add(string line)
        {
            lock (_gate)
            {
                if (_lines.Count == capacity)
                {
                    _lines.Dequeue();
                }

                _lines.Enqueue(line.Length > 500 ? line[..500] + "…" : line);
            }
        }

        public override string ToString()
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }
}
