using System.Text;
using TranscodeFarm.Core.Ffmpeg;

namespace TranscodeFarm.Media;

/// <summary>
/// One bounded ffmpeg run per text subtitle stream: WebVTT on stdout, at most <see cref="MaxBytes"/> of it, within
/// <see cref="MediaOptions.SubtitleTimeoutFor"/>. The output is parsed by the pure WebVTT parser, like a producer's file.
/// </summary>
public sealed class FfmpegSubtitleExtractor(ProcessRunner runner, MediaOptions options) : ISubtitleExtractor
{
    /// <summary>Far above any real subtitle track (a feature film's is ~100 KB); beyond it the run is stopped.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    public async Task<(string? WebVtt, string? Error)> ExtractAsync(string sourcePath, int streamNumber, double durationSeconds, CancellationToken cancellationToken)
    {
        var output = new MemoryStream();
        var timeout = options.SubtitleTimeoutFor(durationSeconds);
        var spec = new ProcessSpec(options.FfmpegPath, SubtitleArguments.ExtractWebVtt(sourcePath, streamNumber), timeout);
        var result = await runner.RunAsync(spec, new ProcessIo { StdoutConsumer = (stdout, ct) => CopyBoundedAsync(stdout, output, ct) }, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return result switch
        {
            { Outcome: ProcessOutcome.TimedOut } => (null, $"ffmpeg did not finish within {timeout.TotalSeconds:0} s"),
            { ConsumerError: { } tooBig } => (null, tooBig.Message),
            { Succeeded: false } => (null, $"ffmpeg failed (exit {result.ExitCode}): {result.StderrTail.Trim()}"),
            _ => (Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length), null),
        };
    }

    private static async Task CopyBoundedAsync(Stream stdout, MemoryStream output, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await stdout.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (output.Length + read > MaxBytes)
            {
                throw new InvalidDataException($"the subtitle stream is larger than {MaxBytes / (1024 * 1024)} MiB as WebVTT");
            }

            output.Write(buffer, 0, read);
        }
    }
}
