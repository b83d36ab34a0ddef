using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

public sealed class AudioRenditionCheckTests
{
    private static uint[] Words(int seed, int count)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (uint)rng.NextInt64(1L << 32)).ToArray();
    }

    private static uint[] Noisy(uint[] words, int seed, double ber)
    {
        var rng = new Random(seed);
        return words.Select(w =>
        {
            for (var b = 0; b < 32; b++)
            {
                if (rng.NextDouble() < ber)
                {
                    w ^= 1u << b;
                }
            }

            return w;
        }).ToArray();
    }

    [Fact]
    public void The_same_audio_re_encoded_passes()
    {
        var source = Words(1, 240);

        var verdict = AudioRenditionCheck.Compare("aac", new AudioFingerprint(source), new AudioFingerprint(Noisy(source, 2, 0.12)));

        Assert.True(verdict.Passed, verdict.Problem);
    }

    [Fact]
    public void Audio_two_seconds_late_is_out_of_sync()
    {
        var source = Words(1, 240);
        var late = Words(5, 16).Concat(Noisy(source, 3, 0.1)).Take(240).ToArray(); // 16 items ≈ 2 s of other sound first

        var verdict = AudioRenditionCheck.Compare("aac", new AudioFingerprint(source), new AudioFingerprint(late));

        Assert.Equal("audio", verdict.Code);
        Assert.Contains("out of sync: 1.98 s late", verdict.Problem);
    }

    [Fact]
    public void Other_audio_differs()
    {
        var verdict = AudioRenditionCheck.Compare("aac", new AudioFingerprint(Words(1, 240)), new AudioFingerprint(Words(9, 240)));

        Assert.False(verdict.Passed);
        Assert.Contains("differs from the source", verdict.Problem);
    }

    [Fact]
    public void A_held_tone_in_the_source_is_not_checked()
    {
        var tone = Enumerable.Repeat(0x5A5A5A5Au, 240).ToArray();

        Assert.True(AudioRenditionCheck.Compare("aac", new AudioFingerprint(tone), new AudioFingerprint(Words(9, 240))).Passed);
    }
}
