namespace TranscodeFarm.Media;

/// <summary>A text subtitle stream of a source as WebVTT text, or why not: a seam, so the stage is testable without ffmpeg.</summary>
public interface ISubtitleExtractor
{
    /// <param name="sourcePath">A path the farm controls, checked like every source before ffmpeg opens it.</param>
    /// <param name="streamNumber">The stream's position among the source's subtitle streams.</param>
    /// <param name="durationSeconds">The source's duration, which bounds how long the run may take.</param>
    Task<(string? WebVtt, string? Error)> ExtractAsync(string sourcePath, int streamNumber, double durationSeconds, CancellationToken cancellationToken);
}
