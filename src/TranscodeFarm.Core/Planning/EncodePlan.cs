namespace TranscodeFarm.Core.Planning;

/// <summary>The renditions to produce for one source, with every number already decided.</summary>
public sealed record EncodePlan(
    string ProfileName,
    IReadOnlyList<PlannedVideo> Video,
    IReadOnlyList<PlannedAudio> Audio,
    double SegmentSeconds,
    double GopSeconds,
    double? OutputFrameRate,
    double SourceDurationSeconds)
{
    /// <summary>
    /// Display aspect ratio every video rendition is tagged with. Rungs are rounded to even sizes (426x240 is
    /// not exactly 16:9), so each gets a near-square sample aspect that keeps the display aspect identical:
    /// DASH requires one aspect ratio per adaptation set, and players switch renditions without a jump.
    /// </summary>
    public (int Num, int Den) DisplayAspect { get; init; } = (16, 9);

    public bool IsAudioOnly => Video.Count == 0;

    /// <summary>
    /// Seconds the last picture is held after the video stream ends, so the picture lasts as long as the sound: a single
    /// picture over a song, or a slideshow that stops early. Without it the video track ends at once while the manifests
    /// promise the sound's length (issue 16). 0: the video lasts as long as the file.
    /// </summary>
    public double HoldLastPictureSeconds { get; init; }

    /// <summary>Deinterlacing or inverse telecine applied to the source before everything else; null: progressive.</summary>
    public PlannedScan? Scan { get; init; }

    /// <summary>The source's colour when it is HDR: SDR rungs are tone-mapped from it, HDR rungs keep it (decision 028).</summary>
    public SourceColour? HdrSource { get; init; }
}

/// <param name="Filter">A plain filter chain (bwdif, or fieldmatch + bwdif + decimate).</param>
/// <param name="FrameRate">The frame rate the chain makes (50 from 25i by fields, 23.976 from telecined 29.97).</param>
/// <param name="Description">What was found and done, for the job: "interlaced tff 576i25 → bwdif 50p (…evidence…)".</param>
public sealed record PlannedScan(string Filter, double FrameRate, string Description);

public sealed record PlannedVideo(
    string Name,
    int Width,
    int Height,
    int BitrateKbps,
    int MaxrateKbps,
    int BufsizeKbps,
    string Codec,
    string Preset,
    string? Profile,
    string? Level,
    string? Filter = null)
{
    /// <summary>Sdr: BT.709 8-bit (tone-mapped when the source is HDR); Pq or Hlg: the source's HDR kept in HEVC Main10.</summary>
    public DynamicRange Range { get; init; }
}

public sealed record PlannedAudio(string Name, int BitrateKbps, int Channels, int SampleRate, string Codec, string? Filter = null)
{
    /// <summary>The source audio track it is made from (<see cref="AudioSourceInfo.Index"/>, ffmpeg's <c>0:a:N</c>).</summary>
    public int SourceIndex { get; init; }

    /// <summary>Language, name and role for the manifests and the track's mdhd; null: "und", named after the rendition.</summary>
    public AudioTrackLabel? Label { get; init; }
}

/// <summary>How an audio track is announced: HLS EXT-X-MEDIA (LANGUAGE, NAME, DEFAULT, CHARACTERISTICS), DASH
/// AdaptationSet (lang, Label, Role, Accessibility), and the language in the track's own mdhd box.</summary>
/// <param name="Language">BCP 47 (<see cref="AudioLanguage.Normalize"/>), "und" when truly unknown.</param>
/// <param name="Name">The stream's title, else the language's English name.</param>
/// <param name="IsDefault">The one track a player starts with.</param>
/// <param name="DescribesVideo">Audio description: HLS public.accessibility.describes-video, DASH Role "description".</param>
public sealed record AudioTrackLabel(string Language, string Name, bool IsDefault = false, bool DescribesVideo = false);
