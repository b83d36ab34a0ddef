namespace TranscodeFarm.Core.Packaging;

/// <summary>
/// Decides where one track's segments start: a new segment starts at the first sync sample at or after each
/// multiple of the segment duration, so every rendition (whose keyframes are forced at the same instants) gets
/// segments that start together. Audio samples are all sync samples and cut at the same instants. It only decides;
/// the samples themselves are collected by the packager's <see cref="PendingSegment"/>.
/// </summary>
internal sealed class TrackSegmenter(uint timescale, double segmentSeconds)
{
    private readonly long _segmentTicks = Math.Max(1, (long)Math.Round(segmentSeconds * timescale));
    private long? _nextBoundary;
    private bool _pending;

    /// <summary>Whether <paramref name="sample"/> closes the segment collected so far and starts the next one.</summary>
    public bool StartsNewSegment(Mp4Sample sample)
    {
        _nextBoundary ??= sample.PresentationTime + _segmentTicks;
        var starts = false;
        if (_pending && sample.IsSync && sample.PresentationTime + (sample.Duration / 2) >= _nextBoundary)
        {
            starts = true;
            // Jump over any gap in one step (a hostile timestamp jump must not mean billions of iterations).
            var behind = sample.PresentationTime + (sample.Duration / 2) - _nextBoundary!.Value;
            _nextBoundary += ((behind / _segmentTicks) + 1) * _segmentTicks;
        }

        _pending = true;
        return starts;
    }
}
