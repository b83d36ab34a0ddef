using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Planning;

namespace TranscodeFarm.Media;

/// <summary>
/// The ladder encode as the pipeline sees it: the whole ladder as one fragmented MP4 handed to
/// <paramref name="consumeOutput"/>, progress as it goes, and how the process ended. A seam, so the pipeline's
/// sequencing can be tested without ffmpeg.
/// </summary>
public interface IEncoder
{
    Task<ProcessResult> EncodeAsync(
        EncodePlan plan,
        string inputPath,
        Func<Stream, CancellationToken, Task> consumeOutput,
        Func<FfmpegProgress, ValueTask> onProgress,
        CancellationToken cancellationToken,
        EncodeFingerprint? fingerprint = null);
}
