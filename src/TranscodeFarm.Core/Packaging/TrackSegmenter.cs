namespace TranscodeFarm.Core.Packaging;

/// <summary>
/// Cuts one track's samples into segments: a new segment starts at the first sync sample at or after each
/// multiple of the segment duration, so every rendition (whose keyframes are forced at the same instants) gets
/// segments that start together. Audio samples are all sync samples and cut at the same instants.
/// </summary>
internal sealed class TrackSegmenter(uint timescale, double segmentSeconds)
{
    private readonly long _segmentTicks = Math.Max(1, (long)Math.Round(segmentSeconds * timescale));
    private readonly List<Mp4Sample> _pending = [];
    private long? _nextBoundary;

    /// <summary>Adds a sample; returns the segment it closes, if it starts a new one.</summary>
    public List<Mp4Sample>? Add(Mp4Sample sample)
    {
        _nextBoundary ??= sample.PresentationTime + _segmentTicks;
        List<Mp4Sample>? closed = null;
        if (_pending.Count > 0 && sample.IsSync && sample.PresentationTime + (sample.Duration / 2) >= _nextBoundary)
        {
            closed = [.. _pending];
            _pending.Clear();
            // Jump over any gap in one step (a hostile timestamp jump must not mean billions of iterations).
            var behind = sample.PresentationTime + (sample.Duration / 2) - _nextBoundary!.Value;
            _nextBoundary += ((behind / _segmentTicks) + 1) * _segmentTicks;
        }

        _pending.Add(sample);
        return closed;
    }

    /// <summary>The last, possibly short, segment at the end of the stream.</summary>
    public List<Mp4Sample>? Flush()
    {
        if (_pending.Count == 0)
        {
            return null;
        }

        List<Mp4Sample> last = [.. _pending];
        _pending.Clear();
        return last;
    }
}
