using System.Numerics;

namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// Finds the offset between two Chromaprint fingerprints by trying every offset with enough overlap and keeping the one
/// with the lowest bit error rate. Exhaustive: O(query × reference) popcounts, ~30 M/s a core, so a 5-minute query
/// against a 1-hour reference takes a few seconds at most; pass a search window to compare a candidate the video index
/// already placed. For verification, not for searching a catalogue.
/// </summary>
public static class AudioAligner
{
    /// <summary>Chromaprint re-encodes typically land at 0.05–0.2; unrelated audio at 0.5 ± a few hundredths.</summary>
    public const double MaxMatchBitErrorRate = 0.3;

    /// <summary>Fraction of overlap words that differ from the word before them; silence and held tones score near 0.</summary>
    public const double MinDistinctness = 0.3;

    public const double DefaultMinOverlapSeconds = 5;

    /// <param name="query">The excerpt or copy.</param>
    /// <param name="reference">The asset it may come from.</param>
    /// <param name="minOverlapSeconds">Offsets with less overlap are not considered: short overlaps reach low error rates by chance.</param>
    /// <param name="window">Optional (min, max) offset in seconds to search, e.g. around a video match.</param>
    /// <returns>The best alignment, or null when no offset overlaps enough.</returns>
    public static AudioAlignment? Align(
        AudioFingerprint query,
        AudioFingerprint reference,
        double minOverlapSeconds = DefaultMinOverlapSeconds,
        (double MinSeconds, double MaxSeconds)? window = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(reference);
        if (Math.Abs(query.ItemSeconds - reference.ItemSeconds) > 1e-9)
        {
            throw new ArgumentException("both fingerprints must use the same sub-fingerprint period", nameof(reference));
        }

        var itemSeconds = query.ItemSeconds;
        var minOverlap = Math.Max(1, (int)Math.Ceiling(minOverlapSeconds / itemSeconds));
        var q = query.Items;
        var r = reference.Items;

        // Offset k pairs query item i with reference item i + k.
        var lowest = minOverlap - q.Length;
        var highest = r.Length - minOverlap;
        if (window is { } w)
        {
            lowest = Math.Max(lowest, (int)Math.Floor(w.MinSeconds / itemSeconds));
            highest = Math.Min(highest, (int)Math.Ceiling(w.MaxSeconds / itemSeconds));
        }

        var best = (Offset: 0, Errors: long.MaxValue, Overlap: 0);
        for (var k = lowest; k <= highest; k++)
        {
            var first = Math.Max(0, -k);
            var end = Math.Min(q.Length, r.Length - k);
            var overlap = end - first;
            if (overlap < minOverlap)
            {
                continue;
            }

            var errors = CountErrors(q[first..end], r.Slice(first + k, overlap));
            // Compare rates without dividing: errors/overlap < bestErrors/bestOverlap.
            if (best.Errors == long.MaxValue || errors * best.Overlap < best.Errors * overlap)
            {
                best = (k, errors, overlap);
            }
        }

        if (best.Errors == long.MaxValue)
        {
            return null;
        }

        var start = Math.Max(0, -best.Offset);
        return new AudioAlignment(
            best.Offset,
            best.Offset * itemSeconds,
            (double)best.Errors / (best.Overlap * 32L),
            best.Overlap,
            best.Overlap * itemSeconds,
            Distinctness(q.Slice(start, best.Overlap)));
    }

    private static long CountErrors(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        long errors = 0;
        for (var i = 0; i < a.Length; i++)
        {
            errors += BitOperations.PopCount(a[i] ^ b[i]);
        }

        return errors;
    }

    private static double Distinctness(ReadOnlySpan<uint> items)
    {
        if (items.Length < 2)
        {
            return 0;
        }

        var changes = 0;
        for (var i = 1; i < items.Length; i++)
        {
            if (items[i] != items[i - 1])
            {
                changes++;
            }
        }

        return (double)changes / (items.Length - 1);
    }
}
