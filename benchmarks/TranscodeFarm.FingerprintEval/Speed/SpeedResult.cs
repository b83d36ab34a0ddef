namespace TranscodeFarm.FingerprintEval.Speed;

/// <summary>What the pinned child process measured; travels to the parent as one JSON line.</summary>
internal sealed record SpeedResult(
    string CpusAllowed,
    double MediaSeconds,
    int Frames,
    double ExtractWallSeconds,
    double HashCpuSeconds,
    double FfmpegFingerprintSeconds,
    double DecodeOnlySeconds,
    double KeyframesOnlySeconds,
    string LoadAverage)
{
    public const string Prefix = "SPEED ";
}
