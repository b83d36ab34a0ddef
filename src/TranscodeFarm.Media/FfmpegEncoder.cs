using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Planning;

namespace TranscodeFarm.Media;

/// <summary>
/// Runs the ladder encode in one ffmpeg process: every rendition comes out as a track of one fragmented MP4 on
/// stdout, handed to <paramref name="consumeOutput"/> (the packager) as it is written; progress comes from stderr.
/// With a fingerprint, the same process also writes the fingerprint's frames (a track) and audio (a file).
/// </summary>
public sealed class FfmpegEncoder(ProcessRunner runner, MediaOptions options) : IEncoder
{
    public async Task<ProcessResult> EncodeAsync(
        EncodePlan plan,
        string inputPath,
        Func<Stream, CancellationToken, Task> consumeOutput,
        Func<FfmpegProgress, ValueTask> onProgress,
        CancellationToken cancellationToken,
        EncodeFingerprint? fingerprint = null)
    {
        var args = EncodeArgumentBuilder.Build(plan, inputPath, EncodeArgumentBuilder.Stdout, fingerprint);
        var parser = new ProgressParser();
        var spec = new ProcessSpec(options.FfmpegPath, args, options.EncodeTimeoutFor(plan.SourceDurationSeconds));
        return await runner.RunAsync(spec, new ProcessIo
        {
            StdoutConsumer = consumeOutput,
            IsProgressLine = ProgressParser.IsProgressLine,
            OnStderrLine = async line =>
            {
                if (parser.Feed(line) is { } p)
                {
                    await onProgress(p);
                }
            },
        }, cancellationToken);
    }
}
