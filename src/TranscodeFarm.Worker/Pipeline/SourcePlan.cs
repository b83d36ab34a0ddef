using TranscodeFarm.Core.Planning;
using TranscodeFarm.Core.Profiles;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>What the source stage hands on: the source as a local file, what ffprobe found in it, and the ladder to encode.</summary>
public sealed record SourcePlan(string Path, SourceInfo Info, LadderProfile Profile, EncodePlan Plan)
{
    /// <summary>The subtitle tracks to publish with the ladder (gathered after planning).</summary>
    public SubtitleSources Subtitles { get; init; } = SubtitleSources.None;
}
