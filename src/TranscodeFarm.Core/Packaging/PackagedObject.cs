using TranscodeFarm.Core.Assets;

namespace TranscodeFarm.Core.Packaging;

/// <summary>What a packaged object is: it decides its content type, its cache lifetime and when it may be published.</summary>
public enum PackagedKind
{
    /// <summary>A track's initialization segment (init-N.mp4).</summary>
    Init,

    /// <summary>A CMAF media segment (seg-N-00001.m4s).</summary>
    Segment,

    /// <summary>An HLS media playlist of one rendition.</summary>
    MediaPlaylist,

    /// <summary>The HLS master playlist: a top manifest, written last (it makes an attempt's objects reachable).</summary>
    HlsMaster,

    /// <summary>The DASH MPD: a top manifest, written last.</summary>
    DashManifest,

    /// <summary>The asset's content fingerprint as JSON (fingerprint.json): published with it, referenced by no manifest.</summary>
    FingerprintDocument,

    /// <summary>The fingerprint's compact binary forms (fingerprint.bin, audio.fp).</summary>
    FingerprintData,

    /// <summary>A WebVTT file: an HLS subtitle segment (subs-N-00001.vtt) or a DASH subtitle track (subs-N.vtt).</summary>
    Subtitle,
}

/// <summary>
/// One finished object of an asset, as the packager (or the manifest writers) hand it on. The receiver owns
/// <see cref="Bytes"/>: the sender never reuses or changes them. Facts travel with the object (kind, track, content
/// type), so nothing downstream parses them back out of <see cref="Name"/>.
/// </summary>
public sealed record PackagedObject(string Name, PackagedKind Kind, ReadOnlyMemory<byte> Bytes)
{
    /// <summary>The track an init or media segment belongs to; null for manifests.</summary>
    public PackagedTrack? Track { get; init; }

    /// <summary>A media segment's number (1-based, as in the templates); 0 otherwise.</summary>
    public int SegmentNumber { get; init; }

    public bool IsAudio => Track?.Info.Kind == TrackKind.Audio;

    public bool IsTopManifest => Kind is PackagedKind.HlsMaster or PackagedKind.DashManifest;

    /// <summary>Made by the packager while ffmpeg encodes (an init or media segment), as opposed to written at the end.</summary>
    public bool IsMedia => Kind is PackagedKind.Init or PackagedKind.Segment;

    public bool IsManifest => Kind is PackagedKind.MediaPlaylist or PackagedKind.HlsMaster or PackagedKind.DashManifest;

    public string ContentType => Kind switch
    {
        PackagedKind.Init => IsAudio ? MediaTypes.AudioMp4 : MediaTypes.Mp4,
        PackagedKind.Segment => IsAudio ? MediaTypes.AudioMp4 : MediaTypes.Segment,
        PackagedKind.DashManifest => MediaTypes.DashManifest,
        PackagedKind.FingerprintDocument => MediaTypes.Json,
        PackagedKind.FingerprintData => MediaTypes.Octet,
        PackagedKind.Subtitle => MediaTypes.WebVtt,
        _ => MediaTypes.HlsPlaylist,
    };

    public string CacheControl => IsManifest ? MediaTypes.ManifestCacheControl : MediaTypes.ImmutableCacheControl;
}
