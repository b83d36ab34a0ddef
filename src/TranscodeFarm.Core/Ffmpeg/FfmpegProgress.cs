namespace TranscodeFarm.Core.Ffmpeg;

/// <summary>One block of ffmpeg's <c>-progress</c> stream.</summary>
public sealed record FfmpegProgress(TimeSpan OutTime, double? Speed, long Frame, bool IsEnd)
{
    public double Fraction(double durationSeconds) =>
        durationSeconds <= 0 ? 0 : Math.Clamp(OutTime.TotalSeconds / durationSeconds, 0, 1);
}
