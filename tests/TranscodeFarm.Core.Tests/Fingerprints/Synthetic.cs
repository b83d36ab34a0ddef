using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

/// <summary>Synthetic fingerprints: random "scenes" (one hash each) held for 1–6 s, sampled at 2 fps with per-frame jitter.</summary>
internal static class Synthetic
{
    public const double Interval = 0.5;

    /// <summary>What every black frame hashes to in every asset: would match everything if quality were ignored.</summary>
    public static readonly Hash256 Black = new(1, 0, 0, 0);

    public static Hash256 RandomHash(Random rng)
    {
        var bytes = new byte[32];
        rng.NextBytes(bytes);
        return Hash256.ReadLittleEndian(bytes);
    }

    /// <summary>Flips <paramref name="bits"/> random bits (a bit drawn twice flips back, so "up to").</summary>
    public static Hash256 Flip(Hash256 hash, Random rng, int bits)
    {
        for (var i = 0; i < bits; i++)
        {
            hash = hash.WithBitFlipped(rng.Next(Hash256.Bits));
        }

        return hash;
    }

    public static VideoFingerprint Fingerprint(Random rng, int frames) =>
        new(Enumerable.Range(0, frames).Select(i => new FingerprintFrame(i * Interval, RandomHash(rng), rng.Next(0, 101))));

    /// <summary>Scene cuts (start times) and their hashes, covering <paramref name="seconds"/>.</summary>
    public static Scene[] Scenes(Random rng, double seconds)
    {
        var scenes = new List<Scene>();
        for (var t = 0.0; t < seconds; t += 1 + (rng.NextDouble() * 5))
        {
            // One in ten scenes is a black stretch (fade, slate), identical in every asset.
            scenes.Add(rng.Next(10) == 0 ? new Scene(t, Black, Quality: 2) : new Scene(t, RandomHash(rng), 60 + rng.Next(41)));
        }

        return [.. scenes];
    }

    /// <summary>Samples the scenes from <paramref name="from"/> for <paramref name="seconds"/>, every <paramref name="interval"/>, query times from 0.</summary>
    public static VideoFingerprint Sample(Scene[] scenes, Random rng, double from, double seconds, double interval, int jitterBits)
    {
        var frames = new List<FingerprintFrame>();
        for (var t = 0.0; t < seconds; t += interval)
        {
            var scene = scenes.Last(s => s.Start <= from + t);
            var hash = scene.Quality < FrameHashResult.MinUsableQuality ? scene.Hash : Flip(scene.Hash, rng, rng.Next(jitterBits + 1));
            frames.Add(new FingerprintFrame(Math.Round(t, 3), hash, scene.Quality));
        }

        return new VideoFingerprint(frames);
    }

    public readonly record struct Scene(double Start, Hash256 Hash, int Quality);
}
