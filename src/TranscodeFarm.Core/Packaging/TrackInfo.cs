namespace TranscodeFarm.Core.Packaging;

public enum TrackKind
{
    Video,
    Audio,
    Other,
}

/// <summary>What the packager knows of one input track, read from ffmpeg's moov.</summary>
public sealed record TrackInfo
{
    public required uint TrackId { get; init; }

    public required TrackKind Kind { get; init; }

    public required uint Timescale { get; init; }

    /// <summary>The input's trak box, the starting point of this track's CMAF init segment.</summary>
    public required Mp4Box Trak { get; init; }

    public required TrackDefaults Defaults { get; init; }

    /// <summary>Sample entry code: avc1, hvc1, mp4a...</summary>
    public required uint SampleEntry { get; init; }

    /// <summary>RFC 6381 codec string for manifests: "avc1.64001f", "mp4a.40.2".</summary>
    public required string Codec { get; init; }

    public int Width { get; init; }

    public int Height { get; init; }

    public int Channels { get; init; }

    public int SampleRate { get; init; }

    /// <summary>Bytes of the NAL unit length prefix for H.264/HEVC samples; 0 for other codecs.</summary>
    public int NalLengthSize { get; init; }

    /// <summary>The decoder configuration record (avcC/hvcC payload), for parameter sets.</summary>
    public byte[]? CodecConfig { get; init; }

    /// <summary>PNG frames: the encode's fingerprint side channel, never packaged.</summary>
    public bool IsPng { get; init; }

    public bool IsAvc => SampleEntry == FourCc.Avc1 || SampleEntry == FourCc.Avc3;

    public bool IsHevc => SampleEntry == FourCc.Hvc1 || SampleEntry == FourCc.Hev1;
}

/// <summary>trex defaults, used where a fragment leaves a field out.</summary>
public sealed record TrackDefaults(uint SampleDescriptionIndex, uint Duration, uint Size, uint Flags);
