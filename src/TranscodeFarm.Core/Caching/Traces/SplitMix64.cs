namespace TranscodeFarm.Core.Caching.Traces;

/// <summary>
/// A tiny seeded generator (SplitMix64). Our own rather than <see cref="Random"/>: a committed trace checksum must not
/// depend on how a runtime version implements a seeded <see cref="Random"/>.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, n); the modulo bias is below 2^-40 for the small n used here.</summary>
    public int NextInt(int n) => (int)(Next() % (ulong)n);

    /// <summary>The SplitMix64 finalizer: also a good stateless hash of a 64-bit value.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
