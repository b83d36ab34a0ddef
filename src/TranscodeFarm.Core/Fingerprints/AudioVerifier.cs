using System.Numerics;

namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// Tells the same recording from the same voice (issue 17). Chromaprint words describe pitch classes over time, so one
/// synthetic voice reading other words, or one instrument playing other notes, reaches a bit error rate of 0.2–0.3 at
/// almost any offset: low, but flat. The same recording has a sharp dip at one offset and stays in it. So the aligned
/// overlap is cut into windows (~3 s) and each must (1) be under the error-rate limit at the alignment's offset and
/// (2) be at least <c>minContrast</c> under its own median rate at offsets 3–16 items (0.4–2 s) away, both sides.
/// Windows whose words hardly change (silence, held tones) are skipped: they line up anywhere.
/// Pure and allocation-light: ~33 window comparisons of 24 words per window.
/// </summary>
public static class AudioVerifier
{
    public const int DefaultWindowItems = 24;

    /// <summary>Neighbouring Chromaprint words overlap by two thirds of their frames: offsets 1–2 items away still look alike.</summary>
    public const int NearItems = 3;

    public const int DefaultRadiusItems = 16;

    /// <param name="query">Query words.</param>
    /// <param name="reference">Reference words.</param>
    /// <param name="offsetItems">Query item i ↔ reference item i + offset.</param>
    /// <param name="maxBitErrorRate">A window agrees only at or under this rate.</param>
    /// <param name="minContrast">…and at least this far under its median rate away from the offset.</param>
    /// <param name="itemSeconds">Sub-fingerprint period, for <see cref="AudioSpanCheck.AgreeingSeconds"/>.</param>
    public static AudioSpanCheck Check(
        ReadOnlySpan<uint> query,
        ReadOnlySpan<uint> reference,
        int offsetItems,
        double maxBitErrorRate,
        double minContrast,
        double itemSeconds,
        int windowItems = DefaultWindowItems,
        int radiusItems = DefaultRadiusItems)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowItems, 4);
        ArgumentOutOfRangeException.ThrowIfLessThan(radiusItems, NearItems);
        var first = Math.Max(0, -offsetItems);
        var end = Math.Min(query.Length, reference.Length - offsetItems);
        var windows = 0;
        var agreeing = 0;
        var contrasts = new List<double>();
        Span<double> away = stackalloc double[2 * (radiusItems - NearItems + 1)];
        for (var start = first; start + windowItems <= end; start += windowItems)
        {
            var words = query.Slice(start, windowItems);
            if (Changes(words) < windowItems / 3)
            {
                continue; // silence or a held tone: aligns anywhere, tells nothing
            }

            windows++;
            var here = Rate(words, reference.Slice(start + offsetItems, windowItems));
            var count = 0;
            for (var d = NearItems; d <= radiusItems; d++)
            {
                foreach (var shifted in new[] { start + offsetItems - d, start + offsetItems + d })
                {
                    if (shifted >= 0 && shifted + windowItems <= reference.Length)
                    {
                        away[count++] = Rate(words, reference.Slice(shifted, windowItems));
                    }
                }
            }

            var contrast = count == 0 ? 0 : Median(away[..count]) - here;
            contrasts.Add(contrast);
            if (here <= maxBitErrorRate && contrast >= minContrast)
            {
                agreeing++;
            }
        }

        if (windows == 0)
        {
            return AudioSpanCheck.None;
        }

        contrasts.Sort();
        return new AudioSpanCheck(windows, agreeing, agreeing * windowItems * itemSeconds, contrasts[contrasts.Count / 2]);
    }

    /// <summary>Seconds of the fingerprint in windows whose words change (silence and held tones left out).</summary>
    public static double SoundSeconds(ReadOnlySpan<uint> items, double itemSeconds, int windowItems = DefaultWindowItems)
    {
        var windows = 0;
        for (var start = 0; start + windowItems <= items.Length; start += windowItems)
        {
            windows += Changes(items.Slice(start, windowItems)) >= windowItems / 3 ? 1 : 0;
        }

        return windows * windowItems * itemSeconds;
    }

    private static double Rate(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        long errors = 0;
        for (var i = 0; i < a.Length; i++)
        {
            errors += BitOperations.PopCount(a[i] ^ b[i]);
        }

        return errors / (a.Length * 32.0);
    }

    private static int Changes(ReadOnlySpan<uint> words)
    {
        var changes = 0;
        for (var i = 1; i < words.Length; i++)
        {
            changes += words[i] != words[i - 1] ? 1 : 0;
        }

        return changes;
    }

    private static double Median(Span<double> values)
    {
        values.Sort();
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
    }
}
