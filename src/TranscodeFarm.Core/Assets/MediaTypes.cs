namespace TranscodeFarm.Core.Assets;

/// <summary>Content types and cache lifetimes for packaged files (the cache policy the edge and stores share).</summary>
public static class MediaTypes
{
    public const string HlsPlaylist = "application/vnd.apple.mpegurl";
    public const string DashManifest = "application/dash+xml";
    public const string Mp4 = "video/mp4";
    public const string AudioMp4 = "audio/mp4";
    public const string Segment = "video/iso.segment";
    public const string Octet = "application/octet-stream";
    public const string Json = "application/json";
    public const string WebVtt = "text/vtt";

    /// <summary>Segments never change once published: a year, immutable.</summary>
    public const string ImmutableCacheControl = "public, max-age=31536000, immutable";

    /// <summary>Manifests are cached briefly so a re-published asset shows up quickly.</summary>
    public const string ManifestCacheControl = "public, max-age=10";

    public static string ForFile(string name, bool isAudio = false) => Path.GetExtension(name) switch
    {
        ".m3u8" => HlsPlaylist,
        ".mpd" => DashManifest,
        ".mp4" => isAudio ? AudioMp4 : Mp4,
        ".m4s" => isAudio ? AudioMp4 : Segment,
        ".json" => Json,
        ".vtt" => WebVtt,
        _ => Octet,
    };

    public static string CacheControlFor(string name) =>
        name.EndsWith(".m3u8", StringComparison.Ordinal) || name.EndsWith(".mpd", StringComparison.Ordinal)
            ? ManifestCacheControl
            : ImmutableCacheControl;
}
