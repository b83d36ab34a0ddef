namespace TranscodeFarm.Core.Planning;

/// <summary>The renditions to produce for one source, with every number already decided.</summary>
public sealed record EncodePlan(
    string ProfileName,
    IReadOnlyList<PlannedVideo> Video,
    IReadOnlyList<PlannedAudio> Audio,
    double SegmentSeconds,
    double GopSeconds,
    double? OutputFrameRate,
    double SourceDurationSeconds)
{
    public bool IsAudioOnly => Video.Count == 0;
}

public sealed record PlannedVideo(
    string Name,
    int Width,
    int Height,
    int BitrateKbps,
    int MaxrateKbps,
    int BufsizeKbps,
    string Codec,
    string Preset,
    string? Profile,
    string? Level);

public sealed record PlannedAudio(string Name, int BitrateKbps, int Channels, int SampleRate, string Codec);
