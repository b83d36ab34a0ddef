using System.Globalization;
using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Quality;

/// <summary>
/// The gate's picture check from a rendition's keyframes only (decision 024): each keyframe, decoded and hashed like
/// the fingerprint, must show the source's picture at the same instant. The encoder places keyframes on a fixed grid
/// (every GOP, no scene cuts), so a keyframe-only decode samples the whole rendition evenly at a fraction of a full
/// decode's cost. Verdicts use the words and codes of <see cref="RenditionCheck"/>: black, frozen, truncated, desync,
/// corrupt. How far the rendition lasts comes from its packaged duration, not from decoding.
/// </summary>
public static class KeyframeCheck
{
    /// <summary>A rendition this much shorter than the source's picture ends early (beyond a frame or two of rounding).</summary>
    public const double EndTolerance = 0.75;

    /// <param name="source">The source's fingerprint (2 frames/s, times from the source's first frame).</param>
    /// <param name="keyframes">The rendition's keyframes: seconds from its first picture, and their hashes.</param>
    /// <param name="renditionSeconds">How long the packaged rendition lasts.</param>
    public static RenditionVerdict Compare(string name, VideoFingerprint source, IReadOnlyList<(double Time, FrameHashResult Hash)> keyframes, double renditionSeconds)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(keyframes);
        if (source.Count == 0)
        {
            return new RenditionVerdict(name, 0, 0, keyframes.Count == 0 ? "the rendition decodes to no picture" : null, keyframes.Count == 0 ? "corrupt" : null);
        }

        var origin = source.Frames[0].TimeSeconds;
        var sourceEnd = source.Frames[^1].TimeSeconds - origin;
        if (keyframes.Count == 0)
        {
            return new RenditionVerdict(name, 0, 0, "the rendition decodes to no picture", "corrupt");
        }

        if (renditionSeconds + EndTolerance < sourceEnd)
        {
            return new RenditionVerdict(name, 0, 0,
                F($"the rendition ends early: its picture stops at {renditionSeconds:0.0} s, the source's at {sourceEnd:0.0} s"), "truncated");
        }

        var rendition = new VideoFingerprint(keyframes.Select(k => new FingerprintFrame(origin + k.Time, k.Hash.Hash, k.Hash.Quality)));
        var (compared, matched, flat, firstMiss) = Score(source, rendition, 0);
        if (compared - matched < RenditionCheck.MinMisses || (double)matched / compared >= RenditionCheck.MinMatchedFraction)
        {
            return new RenditionVerdict(name, compared, matched, null);
        }

        var misses = compared - matched;
        var at = firstMiss - origin;
        if (flat * 2 >= misses)
        {
            return new RenditionVerdict(name, compared, matched,
                F($"black or flat picture where the source has content ({flat} of {compared} keyframes, first at {at:0.0} s)"), "black");
        }

        if (IsFrozen(source, rendition, firstMiss))
        {
            return new RenditionVerdict(name, compared, matched, F($"frozen picture: from {at:0.0} s it stops changing while the source moves"), "frozen");
        }

        if (BestShift(source, rendition) is { } shift)
        {
            return new RenditionVerdict(name, compared, matched,
                F($"out of sync: the picture is {Math.Abs(shift):0.0} s {(shift > 0 ? "late" : "early")} against the source"), "desync");
        }

        return new RenditionVerdict(name, compared, matched,
            F($"the picture differs from the source in {misses} of {compared} keyframes (first at {at:0.0} s): corrupted or wrong content"), "corrupt");
    }

    /// <summary>Each keyframe against the source frame at its time − shift (the source has one every 0.5 s).</summary>
    private static (int Compared, int Matched, int Flat, double FirstMiss) Score(VideoFingerprint source, VideoFingerprint rendition, double shift)
    {
        int compared = 0, matched = 0, flat = 0;
        var firstMiss = double.NaN;
        foreach (var r in rendition.Frames)
        {
            var j = source.NearestIndex(r.TimeSeconds - shift);
            if (j < 0 || Math.Abs(source.Frames[j].TimeSeconds - (r.TimeSeconds - shift)) > RenditionCheck.TimeTolerance || !source.Frames[j].IsUsable)
            {
                continue; // no source picture to tell by (outside the source, or black/flat there too)
            }

            compared++;
            if (r.IsUsable && r.Hash.DistanceTo(source.Frames[j].Hash) <= RenditionCheck.MatchDistance)
            {
                matched++;
                continue;
            }

            firstMiss = double.IsNaN(firstMiss) ? r.TimeSeconds : firstMiss;
            if (!r.IsUsable)
            {
                flat++;
            }
        }

        return (compared, matched, flat, double.IsNaN(firstMiss) ? 0 : firstMiss);
    }

    /// <summary>From the first miss on, the source's picture changes between keyframe instants and the rendition's does not.</summary>
    private static bool IsFrozen(VideoFingerprint source, VideoFingerprint rendition, double from)
    {
        int sourceChanges = 0, renditionChanges = 0;
        var frames = rendition.Frames;
        for (var i = 1; i < frames.Count; i++)
        {
            if (frames[i].TimeSeconds < from)
            {
                continue;
            }

            renditionChanges += frames[i].Hash.DistanceTo(frames[i - 1].Hash) > RenditionCheck.MatchDistance ? 1 : 0;
            var a = source.NearestIndex(frames[i - 1].TimeSeconds);
            var b = source.NearestIndex(frames[i].TimeSeconds);
            sourceChanges += a >= 0 && b >= 0 && source.Frames[b].Hash.DistanceTo(source.Frames[a].Hash) > RenditionCheck.MatchDistance ? 1 : 0;
        }

        return sourceChanges >= 2 && renditionChanges * 4 <= sourceChanges;
    }

    private static double? BestShift(VideoFingerprint source, VideoFingerprint rendition)
    {
        var step = source.MedianIntervalSeconds > 0 ? source.MedianIntervalSeconds : 0.5;
        (double Shift, double Fraction) best = (0, 0);
        for (var shift = -RenditionCheck.MaxShiftSeconds; shift <= RenditionCheck.MaxShiftSeconds + 1e-9; shift += step)
        {
            if (Math.Abs(shift) < step / 2)
            {
                continue;
            }

            var (compared, matched, _, _) = Score(source, rendition, shift);
            // A shift must still be judged on enough keyframes: far shifts leave few inside the source.
            var fraction = compared < Math.Min(3, rendition.Count) ? 0 : (double)matched / compared;
            if (fraction > best.Fraction)
            {
                best = (shift, fraction);
            }
        }

        return best.Fraction >= RenditionCheck.MinMatchedFraction ? best.Shift : null;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
