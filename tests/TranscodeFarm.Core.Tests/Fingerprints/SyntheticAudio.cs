using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

/// <summary>
/// Chromaprint-like sub-fingerprints: random 32-bit words where each word is the one before with every bit flipped at
/// <see cref="Drift"/> (Chromaprint's frames overlap by two thirds, so neighbouring words are alike). A re-encode is the
/// same words with every bit flipped at a bit error rate, independently; real errors cluster more.
/// </summary>
internal static class SyntheticAudio
{
    /// <summary>Neighbouring words differ in ~5 of 32 bits.</summary>
    public const double Drift = 0.15;

    public static uint[] Words(Random rng, int count)
    {
        var words = new uint[count];
        var word = (uint)rng.NextInt64(1L << 32);
        for (var i = 0; i < count; i++)
        {
            word = Flip(word, rng, Drift);
            words[i] = word;
        }

        return words;
    }

    public static uint[] Words(Random rng, double seconds) => Words(rng, ItemsFor(seconds));

    /// <summary>Items covering at least <paramref name="seconds"/> at Chromaprint's rate (5 s → 41).</summary>
    public static int ItemsFor(double seconds) => (int)Math.Ceiling(seconds / AudioFingerprint.ChromaprintItemSeconds);

    /// <summary>Items <paramref name="start"/>..start+count as a re-encode at <paramref name="bitErrorRate"/> would give them.</summary>
    public static AudioFingerprint Excerpt(uint[] words, int start, int count, Random rng, double bitErrorRate) =>
        new(words.AsSpan(start, count).ToArray().Select(w => Flip(w, rng, bitErrorRate)).ToArray());

    public static AudioFingerprint Silence(double seconds, uint word = 0x5a5a5a5au) => new(Enumerable.Repeat(word, ItemsFor(seconds)).ToArray());

    public static uint Flip(uint word, Random rng, double probability)
    {
        for (var bit = 0; bit < 32; bit++)
        {
            if (rng.NextDouble() < probability)
            {
                word ^= 1u << bit;
            }
        }

        return word;
    }
}
