using System.Numerics;

namespace TranscodeFarm.Core.Caching.Policies;

/// <summary>
/// A count-min sketch of recent access counts (TinyLFU's frequency filter): four rows of saturating 4-bit-range
/// counters (kept in bytes for simplicity), estimate = the smallest of the key's four counters. Aging: after
/// 10 × width increments every counter is halved, so the sketch follows popularity as it moves (Einziger et al.,
/// "TinyLFU"; Caffeine uses the same sample size).
/// </summary>
internal sealed class FrequencySketch<TKey>
    where TKey : notnull
{
    private const int Rows = 4;
    private const byte MaxCount = 15;
    private readonly byte[] _counters;
    private readonly int _mask;
    private readonly int _sampleSize;
    private int _additions;

    public FrequencySketch(long width)
    {
        var w = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(width, 64, 1 << 26));
        _counters = new byte[w * Rows];
        _mask = w - 1;
        _sampleSize = 10 * w;
    }

    public int Estimate(TKey key)
    {
        var (h1, h2) = Hashes(key);
        int min = MaxCount;
        for (var row = 0; row < Rows; row++)
        {
            min = Math.Min(min, _counters[Index(row, h1, h2)]);
        }

        return min;
    }

    public void Increment(TKey key)
    {
        var (h1, h2) = Hashes(key);
        for (var row = 0; row < Rows; row++)
        {
            ref var c = ref _counters[Index(row, h1, h2)];
            if (c < MaxCount)
            {
                c++;
            }
        }

        if (++_additions >= _sampleSize)
        {
            Halve();
        }
    }

    private void Halve()
    {
        _additions /= 2;
        for (var i = 0; i < _counters.Length; i++)
        {
            _counters[i] >>= 1;
        }
    }

    // Double hashing (Kirsch–Mitzenmacher): row i uses h1 + i·h2, each row in its own stripe of the array.
    private int Index(int row, uint h1, uint h2) => (row * (_mask + 1)) + (int)((h1 + ((uint)row * h2)) & (uint)_mask);

    private static (uint, uint) Hashes(TKey key)
    {
        // Spread the key's hash code: int keys hash to themselves, and neighbouring segments must not share counters.
        var z = (ulong)(uint)EqualityComparer<TKey>.Default.GetHashCode(key) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return ((uint)z, (uint)(z >> 32) | 1);
    }
}
