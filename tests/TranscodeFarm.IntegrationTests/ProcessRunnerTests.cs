using TranscodeFarm.Media;

namespace TranscodeFarm.IntegrationTests;

public sealed class ProcessRunnerTests
{
    private readonly ProcessRunner _runner = new(TimeProvider.System);

    private static ProcessSpec EndlessFfmpeg(TimeSpan timeout) =>
        new("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25", "-f", "null", "-"], timeout);

    [Fact]
    public async Task Cancellation_asks_ffmpeg_to_quit_gracefully()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var result = await _runner.RunAsync(EndlessFfmpeg(TimeSpan.FromMinutes(1)), new ProcessIo(), cts.Token);
        Assert.Equal(ProcessOutcome.Cancelled, result.Outcome);
        Assert.Equal(0, result.ExitCode); // 'q' lets ffmpeg finish its output and exit normally
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(5), result.Elapsed.ToString());
    }

    [Fact]
    public async Task Timeout_stops_the_process()
    {
        var result = await _runner.RunAsync(EndlessFfmpeg(TimeSpan.FromMilliseconds(500)), new ProcessIo(), CancellationToken.None);
        Assert.Equal(ProcessOutcome.TimedOut, result.Outcome);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task A_process_that_ignores_quit_is_killed_after_the_grace_period()
    {
        var spec = new ProcessSpec("sleep", ["30"], TimeSpan.FromMilliseconds(200)) { GracePeriod = TimeSpan.FromMilliseconds(500) };
        var result = await _runner.RunAsync(spec, new ProcessIo(), CancellationToken.None);
        Assert.Equal(ProcessOutcome.TimedOut, result.Outcome);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(5), result.Elapsed.ToString());
    }

    [Fact]
    public async Task Stderr_tail_carries_the_error_and_stdout_lines_stream()
    {
        var lines = new List<string>();
        var result = await _runner.RunAsync(new ProcessSpec("ffmpeg", ["-hide_banner", "-i", "/nonexistent/file.mp4"], TimeSpan.FromSeconds(30)), l =>
        {
            lines.Add(l);
            return ValueTask.CompletedTask;
        }, CancellationToken.None);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("No such file or directory", result.StderrTail);

        var echo = await _runner.RunAsync(new ProcessSpec("printf", ["a\\nb $(x)\\n"], TimeSpan.FromSeconds(5)), l =>
        {
            lines.Add(l);
            return ValueTask.CompletedTask;
        }, CancellationToken.None);
        Assert.True(echo.Succeeded);
        Assert.Equal(["a", "b $(x)"], lines);
    }
}
