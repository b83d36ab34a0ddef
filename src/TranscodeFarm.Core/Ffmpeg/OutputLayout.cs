namespace TranscodeFarm.Core.Ffmpeg;

/// <summary>File names of a packaged asset: HLS playlists and the MPD over the same CMAF segments (see the packager).</summary>
public static class OutputLayout
{
    public const string DashManifest = "manifest.mpd";
    public const string HlsMaster = "master.m3u8";
    public const string InitTemplate = "init-$RepresentationID$.mp4";
    public const string SegmentTemplate = "seg-$RepresentationID$-$Number%05d$.m4s";

    /// <summary>Media playlist of representation <paramref name="index"/> (its track's position in the encode).</summary>
    public static string MediaPlaylist(int index) => $"media_{index}.m3u8";

    public static bool IsManifest(string fileName) =>
        fileName.EndsWith(".m3u8", StringComparison.Ordinal) || fileName.EndsWith(".mpd", StringComparison.Ordinal);
}
