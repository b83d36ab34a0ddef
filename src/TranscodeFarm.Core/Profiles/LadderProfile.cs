namespace TranscodeFarm.Core.Profiles;

/// <summary>An ABR ladder: what renditions to make and how to cut them into segments.</summary>
public sealed record LadderProfile
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public IReadOnlyList<VideoRendition> Video { get; init; } = [];
    public IReadOnlyList<AudioRendition> Audio { get; init; } = [];

    /// <summary>Target segment duration; every rendition is cut at the same instants.</summary>
    public double SegmentSeconds { get; init; } = 4;

    /// <summary>Closed GOP length; must divide the segment duration so segments start on keyframes.</summary>
    public double GopSeconds { get; init; } = 2;

    /// <summary>Frame rate cap; faster sources are reduced to this (e.g. 60 → 30).</summary>
    public double MaxFrameRate { get; init; } = 60;

    /// <summary>Which of the source's audio tracks to keep (decision 029); default: all of them.</summary>
    public AudioSelection AudioSelection { get; init; } = new();

    /// <summary>
    /// How an interlaced source is deinterlaced (decision 027): "field" makes a picture of every field (50i → 50p, the
    /// motion the camera saw) when that fits under <see cref="MaxFrameRate"/>, else a picture per frame; "frame" always
    /// one per frame (50i → 25p, half the pictures to encode).
    /// </summary>
    public string Deinterlace { get; init; } = DeinterlaceModes.Field;

    /// <summary>Protection for jobs that do not ask for their own; null: clear.</summary>
    public Drm.DrmSettings? Drm { get; init; }
}

public sealed record VideoRendition
{
    public required string Name { get; init; }
    public required int Height { get; init; }
    public required int BitrateKbps { get; init; }
    public int? MaxrateKbps { get; init; }
    public int? BufsizeKbps { get; init; }
    public string Codec { get; init; } = "libx264";
    public string Preset { get; init; } = "veryfast";
    public string? Profile { get; init; }
    public string? Level { get; init; }

    /// <summary>Extra ffmpeg video filters for this rendition, applied after scaling (e.g. "hqdn3d=1.5:1.5:6:6" to
    /// denoise a low rung). A plain filter chain: no labels, no ';', no file-reading filters.</summary>
    public string? Filter { get; init; }

    /// <summary>"sdr" (default): BT.709 8-bit, tone-mapped from an HDR source. "hdr": keeps an HDR source's transfer
    /// (PQ or HLG), BT.2020 and its HDR10 metadata in HEVC Main10; left out for SDR sources (decision 028).</summary>
    public string DynamicRange { get; init; } = Sdr;

    public const string Sdr = "sdr";
    public const string Hdr = "hdr";

    public bool IsHdr => DynamicRange == Hdr;

    public int EffectiveMaxrateKbps => MaxrateKbps ?? (int)Math.Round(BitrateKbps * 1.1);
    public int EffectiveBufsizeKbps => BufsizeKbps ?? EffectiveMaxrateKbps * 2;
}

/// <summary>
/// Which source audio tracks an asset keeps (decision 029). Every rendition of the profile with at most two channels is
/// made for each kept track; one with more channels only from a kept track that has at least as many.
/// </summary>
public sealed record AudioSelection
{
    /// <summary>Languages to keep, in order of preference (BCP 47 or ISO 639; "en" keeps "en-US" too); empty: every language.
    /// When no track matches, the source's default (or first) track is kept: an asset is never silent by rule.</summary>
    public IReadOnlyList<string> Languages { get; init; } = [];

    /// <summary>At most this many source tracks (the default and the preferred languages first); null: no limit.</summary>
    public int? MaxTracks { get; init; }

    /// <summary>Keep audio description tracks (visual_impaired disposition or the sidecar).</summary>
    public bool AudioDescription { get; init; } = true;
}

public sealed record AudioRendition
{
    public required string Name { get; init; }
    public int BitrateKbps { get; init; } = 128;
    public int Channels { get; init; } = 2;
    public int SampleRate { get; init; } = 48000;
    public string Codec { get; init; } = "aac";

    /// <summary>Extra ffmpeg audio filters for this rendition (e.g. "loudnorm=I=-23" for broadcast loudness). A plain
    /// filter chain, with the same rules as a video rendition's.</summary>
    public string? Filter { get; init; }
}

public static class DeinterlaceModes
{
    public const string Field = "field";
    public const string Frame = "frame";
}
