using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.FingerprintEval.Scale;

/// <summary>
/// Synthetic fingerprints in the spirit of the unit tests' helper (not shared with them): random "scenes" (one random
/// hash each, held 1–6 s, one in ten a black stretch identical in every asset), sampled every 0.5 s with bit noise. Each
/// scene also has its own centre hash (issue 17), so the index files a second view of every asset as the farm's does.
/// </summary>
internal static class SyntheticVideo
{
    public const double Interval = 0.5;

    /// <summary>What every black frame hashes to: would match everything if flat frames were not ignored.</summary>
    public static readonly Hash256 Black = new(1, 0, 0, 0);

    public readonly record struct Scene(double Start, Hash256 Hash, int Quality, Hash256 Centre);

    public static Scene[] Scenes(Random rng, double seconds)
    {
        var scenes = new List<Scene>();
        for (var t = 0.0; t < seconds; t += 1 + (rng.NextDouble() * 5))
        {
            scenes.Add(rng.Next(10) == 0 ? new Scene(t, Black, 2, Black) : new Scene(t, RandomHash(rng), 60 + rng.Next(41), RandomHash(rng)));
        }

        return [.. scenes];
    }

    /// <summary>Frames from <paramref name="from"/> for <paramref name="seconds"/>, query times starting at 0, up to <paramref name="noiseBits"/> bits flipped each.</summary>
    public static VideoFingerprint Sample(Scene[] scenes, Random rng, double from, double seconds, double interval, int noiseBits)
    {
        var frames = new List<FingerprintFrame>();
        var s = 0;
        for (var t = 0.0; t < seconds; t += interval)
        {
            while (s + 1 < scenes.Length && scenes[s + 1].Start <= from + t)
            {
                s++;
            }

            var scene = scenes[s];
            var flat = scene.Quality < FrameHashResult.MinUsableQuality;
            var hash = flat ? scene.Hash : Flip(scene.Hash, rng, rng.Next(noiseBits + 1));
            var centre = flat ? scene.Centre : Flip(scene.Centre, rng, rng.Next(noiseBits + 1));
            frames.Add(new FingerprintFrame(Math.Round(t, 3), hash, scene.Quality) { CentreHash = centre });
        }

        return new VideoFingerprint(frames);
    }

    /// <summary>The same frames with a mirrored hash each, as the extractor now gives: unrelated to any indexed frame.</summary>
    public static VideoFingerprint WithMirroredHashes(VideoFingerprint video, Random rng) =>
        new(video.Frames.Select(f => f with { MirroredHash = RandomHash(rng) }).ToList());

    private static Hash256 RandomHash(Random rng)
    {
        Span<byte> bytes = stackalloc byte[32];
        rng.NextBytes(bytes);
        return Hash256.ReadLittleEndian(bytes);
    }

    private static Hash256 Flip(Hash256 hash, Random rng, int bits)
    {
        for (var i = 0; i < bits; i++)
        {
            hash = hash.WithBitFlipped(rng.Next(Hash256.Bits));
        }

        return hash;
    }
}
