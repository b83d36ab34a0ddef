namespace TranscodeFarm.Media;

/// <summary>What is in a media file, as the pipeline asks it: a seam, so the stages can be sequenced in a test without ffprobe.</summary>
public interface IMediaProber
{
    /// <param name="path">A path the farm controls (no user-chosen characters).</param>
    Task<ProbeResult> ProbeAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Decides whether the video is progressive, interlaced or telecined: the container's field order plus an idet pass
    /// on a sample (decision 027). A prober that cannot tell (a test's fake) says nothing: the source is taken as it is.
    /// </summary>
    Task<Core.Planning.VideoScan?> DetectScanAsync(string path, Core.Planning.SourceInfo source, CancellationToken cancellationToken) =>
        Task.FromResult<Core.Planning.VideoScan?>(null);
}
