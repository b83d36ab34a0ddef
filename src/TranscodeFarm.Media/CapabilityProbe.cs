using TranscodeFarm.Core.Profiles;

namespace TranscodeFarm.Media;

/// <summary>
/// Finds the encoders that really work on this host: a 0.2 s trial encode each, not just `ffmpeg -encoders`
/// (an NVENC encoder is listed on machines without a GPU or driver). A working NVENC encoder adds "gpu".
/// </summary>
public sealed class CapabilityProbe(ProcessRunner runner, MediaOptions options)
{
    public static readonly string[] CandidateEncoders = ["libx264", "libx265", "h264_nvenc", "hevc_nvenc"];

    public async Task<IReadOnlyList<string>> DetectAsync(CancellationToken cancellationToken)
    {
        var trials = CandidateEncoders.Select(async encoder =>
        {
            var result = await runner.RunAsync(new ProcessSpec(options.FfmpegPath,
            [
                "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=256x144:rate=25:duration=0.2",
                "-c:v", encoder, "-f", "null", "-",
            ], TimeSpan.FromSeconds(20)), new ProcessIo(), cancellationToken);
            return (encoder, result.Succeeded);
        });
        var working = (await Task.WhenAll(trials)).Where(t => t.Succeeded).Select(t => t.encoder).ToList();
        var capabilities = working.Select(ProfileCapabilities.EncoderCapability).ToList();
        if (working.Any(e => e.EndsWith("_nvenc", StringComparison.Ordinal)))
        {
            capabilities.Add("gpu");
        }

        return capabilities;
    }
}
