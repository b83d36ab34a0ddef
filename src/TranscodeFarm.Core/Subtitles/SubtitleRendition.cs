namespace TranscodeFarm.Core.Subtitles;

/// <summary>
/// A packaged subtitle track: segmented WebVTT for HLS (one playlist, one .vtt per media segment window) and the whole
/// track as one WebVTT file for DASH. Names come from <see cref="Ffmpeg.OutputLayout"/>.
/// </summary>
public sealed record SubtitleRendition(int Index, SubtitleLabel Label, IReadOnlyList<SubtitleSegment> Segments)
{
    public string PlaylistName => Ffmpeg.OutputLayout.SubtitlePlaylist(Index);

    public string FileName => Ffmpeg.OutputLayout.SubtitleFile(Index);

    /// <summary>The DASH Representation id.</summary>
    public string Id => Ffmpeg.OutputLayout.SubtitleId(Index);
}

/// <summary>One HLS WebVTT segment: its file, its window on the media timeline, the cues that overlap it.</summary>
public sealed record SubtitleSegment(string FileName, long StartMs, long EndMs, IReadOnlyList<SubtitleCue> Cues)
{
    public double DurationSeconds => (EndMs - StartMs) / 1000.0;
}
