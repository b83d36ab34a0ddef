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

    /// <summary>HLS playlist of subtitle track <paramref name="index"/> (its position among the asset's subtitle tracks).</summary>
    public static string SubtitlePlaylist(int index) => $"subs_{index}.m3u8";

    /// <summary>HLS WebVTT segment <paramref name="number"/> (1-based) of subtitle track <paramref name="index"/>.</summary>
    public static string SubtitleSegment(int index, int number) => $"subs-{index}-{number:00000}.vtt";

    /// <summary>The whole subtitle track as one WebVTT file (DASH).</summary>
    public static string SubtitleFile(int index) => $"subs-{index}.vtt";

    /// <summary>The DASH Representation id of subtitle track <paramref name="index"/> (never a number: those are the media tracks').</summary>
    public static string SubtitleId(int index) => $"subs-{index}";

    /// <summary>What a file of an asset is and which rendition it belongs to ("" for none), from the names above.</summary>
    public static (ObjectKind Kind, string Rendition) Classify(string fileName)
    {
        if (fileName.EndsWith(".mpd", StringComparison.Ordinal) || fileName == HlsMaster)
        {
            return (ObjectKind.Manifest, "");
        }

        if (fileName.StartsWith("media_", StringComparison.Ordinal) && fileName.EndsWith(".m3u8", StringComparison.Ordinal))
        {
            return (ObjectKind.Manifest, fileName["media_".Length..^".m3u8".Length]);
        }

        if (fileName.EndsWith(".m3u8", StringComparison.Ordinal))
        {
            return (ObjectKind.Manifest, "");
        }

        if (fileName.StartsWith("init-", StringComparison.Ordinal) && fileName.EndsWith(".mp4", StringComparison.Ordinal))
        {
            return (ObjectKind.Init, fileName["init-".Length..^".mp4".Length]);
        }

        if (fileName.StartsWith("seg-", StringComparison.Ordinal) && fileName.EndsWith(".m4s", StringComparison.Ordinal))
        {
            var dash = fileName.IndexOf('-', "seg-".Length);
            return (ObjectKind.Segment, dash < 0 ? "" : fileName["seg-".Length..dash]);
        }

        if (fileName.StartsWith("subs-", StringComparison.Ordinal) && fileName.EndsWith(".vtt", StringComparison.Ordinal))
        {
            var dash = fileName.IndexOf('-', "subs-".Length);
            return (ObjectKind.Segment, fileName[..(dash < 0 ? fileName.Length - ".vtt".Length : dash)]);
        }

        return (ObjectKind.Other, "");
    }

    public static bool IsManifest(string fileName) =>
        fileName.EndsWith(".m3u8", StringComparison.Ordinal) || fileName.EndsWith(".mpd", StringComparison.Ordinal);
}

/// <summary>The kinds of object an edge serves, as its metrics split them.</summary>
public enum ObjectKind
{
    Manifest,
    Init,
    Segment,
    Key,
    Other,
}
