using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Catalog;

/// <summary>What `transcodefarm match` prints with --json and what the edge's match endpoint returns.</summary>
public sealed record MatchReport(MatchQuery Query, IReadOnlyList<CatalogMatch> Matches, int IndexEntries);

/// <param name="Name">The file or asset that was matched.</param>
public sealed record MatchQuery(string Name, double DurationSeconds, int VideoFrames, int AudioItems)
{
    public static MatchQuery Of(string name, VideoFingerprint? video, AudioFingerprint? audio)
    {
        // The fingerprint's own extent: 2 frames/s, so the last frame stands for half a second.
        var videoSeconds = video is { Count: > 0 } ? video.Frames[^1].TimeSeconds - video.Frames[0].TimeSeconds + (video.MedianIntervalSeconds > 0 ? video.MedianIntervalSeconds : 0.5) : 0;
        return new MatchQuery(name, Math.Round(Math.Max(videoSeconds, audio?.DurationSeconds ?? 0), 2), video?.Count ?? 0, audio?.Count ?? 0);
    }
}
