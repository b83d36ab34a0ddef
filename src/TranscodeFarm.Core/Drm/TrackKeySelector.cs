namespace TranscodeFarm.Core.Drm;

/// <summary>Which of an asset's keys protects a track: audio, SD video (below 720 lines) or HD video, else "all".</summary>
public static class TrackKeySelector
{
    public const int HdHeight = 720;

    public static ContentKey Select(IReadOnlyList<ContentKey> keys, bool isAudio, int height)
    {
        string[] preference = isAudio ? ["audio", ContentKey.AllTracks]
            : height >= HdHeight ? ["hd", "video", ContentKey.AllTracks] : ["sd", "video", ContentKey.AllTracks];
        foreach (var track in preference)
        {
            if (keys.FirstOrDefault(k => k.Track == track) is { } key)
            {
                return key;
            }
        }

        throw new InvalidOperationException($"no content key for {(isAudio ? "audio" : $"{height}-line video")} (keys are for: {string.Join(", ", keys.Select(k => k.Track))})");
    }

    /// <summary>The key tracks to generate: one for everything, or audio/sd/hd.</summary>
    public static IReadOnlyList<string> TracksToGenerate(bool separate) => separate ? ["audio", "sd", "hd"] : [ContentKey.AllTracks];
}
