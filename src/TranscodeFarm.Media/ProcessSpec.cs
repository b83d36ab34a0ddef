namespace TranscodeFarm.Media;

/// <summary>What to run: a program and its arguments as a list (never a shell command line).</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments, TimeSpan Timeout)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>How long a process gets to exit after it was asked to quit, before its tree is killed.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>What to write to stdin to ask for a graceful stop ("q" for ffmpeg).</summary>
    public string? QuitCommand { get; init; } = "q";
}

public enum ProcessOutcome
{
    Exited,
    TimedOut,
    Cancelled,

    /// <summary>Whoever read the process's output failed (see <see cref="ProcessResult.ConsumerError"/>); the process was stopped.</summary>
    ConsumerFailed,
}

/// <summary>How a process's output is read.</summary>
public sealed record ProcessIo
{
    public Func<string, ValueTask>? OnStdoutLine { get; init; }

    public Func<string, ValueTask>? OnStderrLine { get; init; }

    /// <summary>stderr lines that are progress reports, kept out of the error tail.</summary>
    public Func<string, bool>? IsProgressLine { get; init; }

    /// <summary>Reads stdout as bytes (instead of <see cref="OnStdoutLine"/>).</summary>
    public Func<Stream, CancellationToken, Task>? StdoutConsumer { get; init; }

    /// <summary>
    /// Writes the process's input (a media stream for "-i pipe:0"); stdin is closed when it returns, which is the end of
    /// input. Its failures (a process that exited early breaks the pipe) end the feed, never the run. With a feed, set
    /// <see cref="ProcessSpec.QuitCommand"/> to null: a stop closes the feed instead.
    /// </summary>
    public Func<Stream, CancellationToken, Task>? StdinProducer { get; init; }
}

/// <param name="StderrTail">The last lines ffmpeg wrote to stderr: the error a producer reads.</param>
public sealed record ProcessResult(ProcessOutcome Outcome, int ExitCode, string StderrTail, TimeSpan Elapsed)
{
    public bool Succeeded => Outcome == ProcessOutcome.Exited && ExitCode == 0 && ConsumerError is null;

    /// <summary>What the stdout consumer threw, if it failed.</summary>
    public Exception? ConsumerError { get; init; }
}
