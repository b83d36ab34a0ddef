namespace TranscodeFarm.Core.Caching.Traces;

/// <summary>
/// The parameters of a synthetic VOD request trace (issue 15): a catalog of titles × renditions × segments, viewers whose
/// sessions interleave in time. The defaults are the model; they are fixed before any policy is measured.
/// </summary>
public sealed record SegmentTraceModel
{
    public int Titles { get; init; } = 2_000;
    public int SegmentsPerTitle { get; init; } = 150;
    public double SegmentSeconds { get; init; } = 4;

    /// <summary>Video bitrates of the h264-cmaf ladder, best first (a test checks them against the profile).</summary>
    public IReadOnlyList<int> RenditionKbps { get; init; } = [6000, 3000, 2000, 730, 300];

    /// <summary>
    /// Which rendition a session starts on, best first. Not in the issue: an assumption that most viewers are on
    /// broadband (the top two rungs) and a tail on phones.
    /// </summary>
    public IReadOnlyList<double> StartRenditionWeights { get; init; } = [0.30, 0.30, 0.20, 0.12, 0.08];

    /// <summary>Each segment's size is its bitrate's nominal size times a factor uniform in [1 - j, 1 + j] (VBR scenes).</summary>
    public double SizeJitter { get; init; } = 0.25;

    public double ZipfAlpha { get; init; } = 0.9;
    public double SeekProbability { get; init; } = 0.2;
    public double SwitchProbability { get; init; } = 0.05;
    public double MeanSessionSegments { get; init; } = 40;

    /// <summary>Viewers watching at once; each request comes from one of them picked at random.</summary>
    public int ConcurrentSessions { get; init; } = 1_000;

    public int Requests { get; init; } = 2_000_000;
    public ulong Seed { get; init; } = 15;

    public int Renditions => RenditionKbps.Count;
    public int Objects => Titles * Renditions * SegmentsPerTitle;
}
