namespace TranscodeFarm.Core.Planning;

/// <summary>What the probe learned about a source, reduced to what planning needs.</summary>
/// <param name="Audio">The first audio track (a convenience kept from before <see cref="AudioTracks"/>).</param>
public sealed record SourceInfo(
    string FormatName,
    double DurationSeconds,
    VideoSourceInfo? Video,
    AudioSourceInfo? Audio)
{
    /// <summary>Every audio track, in the source's order (<see cref="AudioSourceInfo.Index"/> 0, 1, ...).</summary>
    public IReadOnlyList<AudioSourceInfo> AudioTracks { get; init; } = Audio is null ? [] : [Audio];

    /// <summary>The source's subtitle streams, text and pictures, in stream order.</summary>
    public IReadOnlyList<Subtitles.SubtitleStreamInfo> Subtitles { get; init; } = [];
}

/// <param name="Width">Coded width, before rotation.</param>
/// <param name="Height">Coded height, before rotation.</param>
/// <param name="Rotation">Display rotation in degrees from the container (0, 90, 180, 270; sign ignored).</param>
/// <param name="SampleAspectRatio">Pixel aspect (1 for square pixels).</param>
public sealed record VideoSourceInfo(
    string Codec,
    int Width,
    int Height,
    double FrameRate,
    int Rotation = 0,
    double SampleAspectRatio = 1.0)
{
    /// <summary>Size as a viewer sees it: rotation applied, non-square pixels stretched horizontally.</summary>
    public (int Width, int Height) DisplaySize
    {
        get
        {
            var w = (int)Math.Round(Width * (SampleAspectRatio > 0 ? SampleAspectRatio : 1.0));
            return IsQuarterTurn ? (Height, w) : (w, Height);
        }
    }

    public bool IsQuarterTurn => Math.Abs(Rotation) % 180 == 90;

    /// <summary>How long the video stream itself lasts (0: unknown); the file may last longer, for its sound.</summary>
    public double StreamSeconds { get; init; }

    /// <summary>What the container says about fields (ffprobe's field_order).</summary>
    public FieldOrder FieldOrder { get; init; }

    /// <summary>The scan decided from <see cref="FieldOrder"/> and an idet pass (decision 027); null: not analysed, taken as progressive.</summary>
    public VideoScan? Scan { get; init; }

    /// <summary>Transfer, primaries, bit depth and HDR metadata (decision 028); null: not probed, taken as SDR.</summary>
    public SourceColour? Colour { get; init; }
}

public sealed record AudioSourceInfo(string Codec, int Channels, int SampleRate)
{
    /// <summary>Position among the source's audio streams: ffmpeg's <c>0:a:N</c>.</summary>
    public int Index { get; init; }

    /// <summary>The stream's language tag as the source has it (normalized when planned); null when untagged.</summary>
    public string? Language { get; init; }

    /// <summary>The stream's title tag, the track's label when present.</summary>
    public string? Title { get; init; }

    /// <summary>The source marks it as the default track (disposition or sidecar).</summary>
    public bool IsDefault { get; init; }

    /// <summary>Audio description for the blind and visually impaired (disposition visual_impaired, or the sidecar).</summary>
    public bool DescribesVideo { get; init; }
}
