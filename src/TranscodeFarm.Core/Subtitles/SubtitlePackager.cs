using System.Text;
using TranscodeFarm.Core.Packaging;

namespace TranscodeFarm.Core.Subtitles;

/// <summary>What packaging made of the asset's subtitle tracks: their descriptions and the objects to publish.</summary>
public sealed record SubtitlePackage(IReadOnlyList<SubtitleRendition> Renditions, IReadOnlyList<PackagedObject> Objects)
{
    public static SubtitlePackage Empty { get; } = new([], []);
}

/// <summary>
/// Cuts each subtitle track into WebVTT segments on the media segments' windows, so a player fetching segment N of the
/// video finds that time's cues in subtitle segment N. A cue that spans a boundary is written into every segment it
/// overlaps, with its real times (players drop the repeats: hls.js and shaka key cues by time and text); a segment
/// with no cue is a valid empty WebVTT file. Every segment carries X-TIMESTAMP-MAP: cue times are media times
/// (the encode keeps the source's timeline from 0), which is MPEGTS:0 at LOCAL 0.
/// </summary>
public static class SubtitlePackager
{
    public static SubtitlePackage Package(IReadOnlyList<SubtitleTrack> tracks, IReadOnlyList<(long StartMs, long EndMs)> windows, long mpegTs = 0)
    {
        if (tracks.Count == 0)
        {
            return SubtitlePackage.Empty;
        }

        if (windows.Count == 0)
        {
            throw new ArgumentException("subtitles need at least one media segment window", nameof(windows));
        }

        var renditions = new List<SubtitleRendition>();
        var objects = new List<PackagedObject>();
        for (var index = 0; index < tracks.Count; index++)
        {
            var track = tracks[index];
            var segments = new List<SubtitleSegment>();
            for (var n = 0; n < windows.Count; n++)
            {
                var (start, end) = windows[n];
                var cues = track.Cues.Where(c => c.EndMs > start && c.StartMs < end).ToList();
                var segment = new SubtitleSegment(Ffmpeg.OutputLayout.SubtitleSegment(index, n + 1), start, end, cues);
                segments.Add(segment);
                objects.Add(new PackagedObject(segment.FileName, PackagedKind.Subtitle, Encoding.UTF8.GetBytes(WebVttWriter.Write(cues, mpegTs))) { SegmentNumber = n + 1 });
            }

            var rendition = new SubtitleRendition(index, track.Label, segments);
            renditions.Add(rendition);
            objects.Add(new PackagedObject(rendition.FileName, PackagedKind.Subtitle, Encoding.UTF8.GetBytes(WebVttWriter.Write(track.Cues))));
        }

        return new SubtitlePackage(renditions, objects);
    }

    /// <summary>
    /// The windows of a packaged track's segments in milliseconds, the first stretched back to 0 and the last out to
    /// <paramref name="durationSeconds"/>, so no cue of the asset falls outside every segment.
    /// </summary>
    public static IReadOnlyList<(long StartMs, long EndMs)> WindowsOf(PackagedTrack track, double durationSeconds)
    {
        var timescale = (double)track.Info.Timescale;
        var windows = track.Segments
            .Select(s => ((long)Math.Round(s.StartTime / timescale * 1000), (long)Math.Round((s.StartTime + s.Duration) / timescale * 1000)))
            .ToList();
        return Stretch(windows, durationSeconds);
    }

    /// <summary>Fixed windows of <paramref name="segmentSeconds"/> over <paramref name="durationSeconds"/> (the last one shorter).</summary>
    public static IReadOnlyList<(long StartMs, long EndMs)> FixedWindows(double segmentSeconds, double durationSeconds)
    {
        var step = (long)Math.Round(segmentSeconds * 1000);
        var total = (long)Math.Ceiling(durationSeconds * 1000);
        var windows = new List<(long, long)>();
        for (long t = 0; t < total || windows.Count == 0; t += step)
        {
            windows.Add((t, Math.Min(t + step, Math.Max(total, step))));
        }

        return windows;
    }

    private static List<(long StartMs, long EndMs)> Stretch(List<(long StartMs, long EndMs)> windows, double durationSeconds)
    {
        if (windows.Count == 0)
        {
            return windows;
        }

        windows[0] = (0, windows[0].EndMs);
        var end = Math.Max(windows[^1].EndMs, (long)Math.Ceiling(durationSeconds * 1000));
        windows[^1] = (windows[^1].StartMs, end);
        return windows;
    }
}
