namespace TranscodeFarm.FingerprintEval.Speed;

/// <summary>What the pinned child process measured; travels to the parent as one JSON line.</summary>
/// <param name="Steps">Each step's wall and CPU seconds (this process and its ffmpeg/ffprobe children together).</param>
internal sealed record SpeedResult(string CpusAllowed, double MediaSeconds, int Frames, double DotnetCpuSeconds, IReadOnlyList<SpeedStep> Steps, string LoadAverage)
{
    public const string Prefix = "SPEED ";
}
