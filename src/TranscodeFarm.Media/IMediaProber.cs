namespace TranscodeFarm.Media;

/// <summary>What is in a media file, as the pipeline asks it: a seam, so the stages can be sequenced in a test without ffprobe.</summary>
public interface IMediaProber
{
    /// <param name="path">A path the farm controls (no user-chosen characters).</param>
    Task<ProbeResult> ProbeAsync(string path, CancellationToken cancellationToken);
}
