using System.Globalization;

namespace TranscodeFarm.Core.Fingerprints;

/// <summary>The quality gate's verdict on one rendition: null <see cref="Problem"/> means it passed.</summary>
/// <param name="Code">A short label for metrics: black, frozen, truncated, desync, corrupt, decode, audio.</param>
public sealed record RenditionVerdict(string Rendition, int Compared, int Matched, string? Problem, string? Code = null)
{
    public bool Passed => Problem is null;

    public double MatchedFraction => Compared == 0 ? 1 : (double)Matched / Compared;
}

/// <summary>
/// The quality gate, pure: a rendition's fingerprint (its own decode, at the same 2 frames/s) must follow the source's
/// frame by frame at the same times. When it does not, the verdict says why in words a producer or operator can act on:
/// black or flat picture, a frozen picture, a rendition that ends early, one shifted in time, or just different.
/// </summary>
public static class RenditionCheck
{
    /// <summary>
    /// Looser than the index's 31 bits: the gate compares frames known to be at the same time, so it only has to tell
    /// "the same picture, degraded" (a 240p rung of grainy or noisy content can reach 40–60 bits) from another picture
    /// (unrelated frames are ≥ 94 bits apart). Black, flat and frozen pictures are caught by their own tests.
    /// </summary>
    public const int MatchDistance = 64;

    /// <summary>A short clip samples few frames: one or two misses are noise, not a broken rendition.</summary>
    public const int MinMisses = 3;

    /// <summary>Renditions are scaled and re-encoded, often at a low bitrate: allow some sampled frames to miss.</summary>
    public const double MinMatchedFraction = 0.8;

    /// <summary>A rendition frame is taken as "the same time" within this.</summary>
    public const double TimeTolerance = 0.3;

    /// <summary>How far a shift is searched for when frames do not line up.</summary>
    public const double MaxShiftSeconds = 10;

    /// <param name="source">The source's fingerprint (from the encode's decode of the source).</param>
    /// <param name="rendition">The rendition decoded on its own, sampled the same way.</param>
    public static RenditionVerdict Compare(string name, VideoFingerprint source, VideoFingerprint rendition)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(rendition);
        var (compared, matched, missing, flat, firstMiss) = Score(source, rendition, 0);
        if (compared - matched < MinMisses || (double)matched / compared >= MinMatchedFraction)
        {
            return new RenditionVerdict(name, compared, matched, null);
        }

        string problem, code;
        var misses = compared - matched;
        if (missing * 2 >= misses)
        {
            var end = rendition.Count == 0 ? 0 : rendition.Frames[^1].TimeSeconds;
            problem = F($"the rendition ends early: its picture stops at {end:0.0} s, the source's at {source.Frames[^1].TimeSeconds:0.0} s");
            code = "truncated";
        }
        else if (flat * 2 >= misses)
        {
            problem = F($"black or flat picture where the source has content ({flat} of {compared} sampled frames, first at {firstMiss:0.0} s)");
            code = "black";
        }
        else if (IsFrozenFrom(source, rendition, firstMiss))
        {
            problem = F($"frozen picture: from {firstMiss:0.0} s it stops changing while the source moves");
            code = "frozen";
        }
        else if (BestShift(source, rendition) is { } shift)
        {
            problem = F($"out of sync: the picture is {Math.Abs(shift):0.0} s {(shift > 0 ? "late" : "early")} against the source");
            code = "desync";
        }
        else
        {
            problem = F($"the picture differs from the source in {misses} of {compared} sampled frames (first at {firstMiss:0.0} s): corrupted or wrong content");
            code = "corrupt";
        }

        return new RenditionVerdict(name, compared, matched, problem, code);
    }

    /// <summary>Frames of the source that have content, each checked against the rendition frame at time + shift.</summary>
    private static (int Compared, int Matched, int Missing, int Flat, double FirstMiss) Score(VideoFingerprint source, VideoFingerprint rendition, double shift)
    {
        int compared = 0, matched = 0, missing = 0, flat = 0;
        var firstMiss = double.NaN;
        var frames = source.Frames;
        for (var i = 0; i < frames.Count; i++)
        {
            var s = frames[i];
            if (!s.IsUsable)
            {
                continue; // black or flat in the source too: nothing to tell
            }

            compared++;
            var j = rendition.Count == 0 ? -1 : rendition.NearestIndex(s.TimeSeconds + shift);
            if (j < 0 || Math.Abs(rendition.Frames[j].TimeSeconds - (s.TimeSeconds + shift)) > TimeTolerance)
            {
                missing++;
                firstMiss = double.IsNaN(firstMiss) ? s.TimeSeconds : firstMiss;
                continue;
            }

            var r = rendition.Frames[j];
            if (r.IsUsable && r.Hash.DistanceTo(s.Hash) <= MatchDistance)
            {
                matched++;
                continue;
            }

            firstMiss = double.IsNaN(firstMiss) ? s.TimeSeconds : firstMiss;
            if (!r.IsUsable)
            {
                flat++;
            }
        }

        return (compared, matched, missing, flat, double.IsNaN(firstMiss) ? 0 : firstMiss);
    }

    /// <summary>
    /// From the first miss on, the source changes picture (a cut, motion) several times and the rendition hardly ever:
    /// a stuck decoder or encoder, not other content (which changes about as often as the source).
    /// </summary>
    private static bool IsFrozenFrom(VideoFingerprint source, VideoFingerprint rendition, double from)
    {
        var sourceChanges = Changes(source, from);
        return sourceChanges >= 2 && Changes(rendition, from) * 4 <= sourceChanges;
    }

    private static int Changes(VideoFingerprint fingerprint, double from)
    {
        var changes = 0;
        var frames = fingerprint.Frames;
        for (var i = 1; i < frames.Count; i++)
        {
            if (frames[i].TimeSeconds >= from && frames[i].Hash.DistanceTo(frames[i - 1].Hash) > MatchDistance)
            {
                changes++;
            }
        }

        return changes;
    }

    /// <summary>A shift (rendition time − source time) at which the rendition does match, if any.</summary>
    private static double? BestShift(VideoFingerprint source, VideoFingerprint rendition)
    {
        var step = rendition.MedianIntervalSeconds > 0 ? rendition.MedianIntervalSeconds : 0.5;
        (double Shift, double Fraction) best = (0, 0);
        for (var shift = -MaxShiftSeconds; shift <= MaxShiftSeconds + 1e-9; shift += step)
        {
            if (Math.Abs(shift) < step / 2)
            {
                continue;
            }

            var (compared, matched, _, _, _) = Score(source, rendition, shift);
            var fraction = compared == 0 ? 0 : (double)matched / compared;
            if (fraction > best.Fraction)
            {
                best = (shift, fraction);
            }
        }

        return best.Fraction >= MinMatchedFraction ? best.Shift : null;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
