namespace TranscodeFarm.FingerprintEval.Speed;

/// <summary>One measured step: wall seconds and CPU seconds (this process and its exited children).</summary>
internal sealed record SpeedStep(string Name, double WallSeconds, double CpuSeconds);
