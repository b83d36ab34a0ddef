using System.Diagnostics;
using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.FingerprintEval.Scale;

/// <summary>
/// Query latency over a catalogue-sized index: <c>assets</c> synthetic fingerprints of 1–4 minutes at 2 fps, then
/// noisy 10-s excerpts (14 bits a frame, some at 2.5 or 1 fps) and unrelated 10-s clips, each timed with a Stopwatch.
/// </summary>
/// <param name="centreViews">Index the assets' centre hashes as a second view, as the farm does (issue 17); false for comparison.</param>
internal sealed class ScaleBenchmark(int assets, int queries, bool centreViews = true)
{
    public const double LatencyGoalMs = 50;
    public const double ExcerptSeconds = 10;

    private readonly List<(SyntheticVideo.Scene[] Scenes, double Seconds)> _scenes = [];

    public FingerprintIndex Index { get; } = new();

    public double BuildSeconds { get; private set; }

    public long ManagedBytes { get; private set; }

    public int Frames { get; private set; }

    public void Build()
    {
        var rng = new Random(2025);
        _scenes.Clear();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var build = new Stopwatch();
        for (var a = 0; a < assets; a++)
        {
            var seconds = 60 + (rng.NextDouble() * 180);
            var scenes = SyntheticVideo.Scenes(rng, seconds);
            var video = SyntheticVideo.Sample(scenes, rng, 0, seconds, SyntheticVideo.Interval, noiseBits: 6);
            Frames += video.Count;
            _scenes.Add((scenes, seconds));
            build.Start();
            Index.Add(Id(a), centreViews ? video : new VideoFingerprint(video.Frames.Select(f => f with { CentreHash = default })));
            build.Stop();
        }

        BuildSeconds = build.Elapsed.TotalSeconds;
        // The index holds every fingerprint; the scenes kept here for making queries are small next to it.
        ManagedBytes = GC.GetTotalMemory(forceFullCollection: true) - before;
    }

    /// <summary>Runs the queries; latencies in ms, with how many excerpts were placed right and how many answers were wrong.</summary>
    /// <param name="mirrored">Give each query frame a mirrored hash as the extractor does (the index then looks it up twice).</param>
    public (List<double> ExcerptMs, List<double> UnrelatedMs, int Placed, int Excerpts, int WrongAnswers) Query(bool mirrored = true)
    {
        var rng = new Random(7);
        var excerptMs = new List<double>();
        var unrelatedMs = new List<double>();
        int placed = 0, wrong = 0, excerpts = queries * 3 / 4;
        for (var warm = 0; warm < 5; warm++)
        {
            Index.Query(SyntheticVideo.Sample(_scenes[warm].Scenes, rng, 0, ExcerptSeconds, SyntheticVideo.Interval, 14));
            Index.Query(SyntheticVideo.WithMirroredHashes(SyntheticVideo.Sample(SyntheticVideo.Scenes(rng, ExcerptSeconds), rng, 0, ExcerptSeconds, SyntheticVideo.Interval, 14), rng));
        }

        for (var q = 0; q < queries; q++)
        {
            var isExcerpt = q < excerpts;
            var asset = rng.Next(_scenes.Count);
            var from = isExcerpt ? Math.Round(rng.NextDouble() * (_scenes[asset].Seconds - ExcerptSeconds), 2) : 0;
            var interval = (q % 5) switch { 3 => 0.4, 4 => 1.0, _ => SyntheticVideo.Interval };
            var scenes = isExcerpt ? _scenes[asset].Scenes : SyntheticVideo.Scenes(rng, ExcerptSeconds);
            // A fresh fingerprint carries each frame's mirrored hash (issue 17), so the index looks it up twice: time that too.
            var plain = SyntheticVideo.Sample(scenes, rng, from, ExcerptSeconds, interval, noiseBits: 14);
            var query = mirrored ? SyntheticVideo.WithMirroredHashes(plain, rng) : plain;
            var watch = Stopwatch.StartNew();
            var matches = Index.Query(query);
            (isExcerpt ? excerptMs : unrelatedMs).Add(watch.Elapsed.TotalMilliseconds);
            if (isExcerpt && matches.Count > 0 && matches[0].AssetId == Id(asset) && Math.Abs(matches[0].OffsetSeconds - from) <= 0.5)
            {
                placed++;
            }

            wrong += matches.Count(m => !isExcerpt || m.AssetId != Id(asset));
        }

        return (excerptMs, unrelatedMs, placed, excerpts, wrong);
    }

    private static string Id(int asset) => $"synthetic-{asset:D5}";
}
