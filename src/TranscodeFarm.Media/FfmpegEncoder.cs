using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Planning;

namespace TranscodeFarm.Media;

/// <summary>Runs the ladder encode in one ffmpeg process and reports progress from its -progress stream.</summary>
public sealed class FfmpegEncoder(ProcessRunner runner, MediaOptions options)
{
    public async Task<ProcessResult> EncodeAsync(
        EncodePlan plan,
        string inputPath,
        string outputDirectory,
        Func<FfmpegProgress, ValueTask> onProgress,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outputDirectory);
        var args = EncodeArgumentBuilder.Build(plan, inputPath, outputDirectory);
        var parser = new ProgressParser();
        var spec = new ProcessSpec(options.FfmpegPath, args, options.EncodeTimeoutFor(plan.SourceDurationSeconds));
        return await runner.RunAsync(spec, async line =>
        {
            if (parser.Feed(line) is { } p)
            {
                await onProgress(p);
            }
        }, cancellationToken);
    }
}
