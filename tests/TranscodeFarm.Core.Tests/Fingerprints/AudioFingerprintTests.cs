using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

public class AudioFingerprintTests
{
    [Fact]
    public void Chromaprint_period_is_1365_samples_at_11025_Hz()
    {
        Assert.Equal(0.1238, AudioFingerprint.ChromaprintItemSeconds, 4);
        Assert.InRange(1 / AudioFingerprint.ChromaprintItemSeconds, 8.0, 8.1);
    }

    [Fact]
    public void Parses_raw_little_endian_words()
    {
        byte[] raw = [0x01, 0x00, 0x00, 0x00, 0xff, 0xee, 0xdd, 0xcc];
        var fingerprint = AudioFingerprint.ParseChromaprintRaw(raw);
        Assert.Equal([1u, 0xccddeeffu], fingerprint.Items.ToArray());
        Assert.Equal(2 * AudioFingerprint.ChromaprintItemSeconds, fingerprint.DurationSeconds, 9);
        Assert.Equal(raw, fingerprint.ToRawBytes());
        Assert.Equal(0, AudioFingerprint.ParseChromaprintRaw([]).Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void Rejects_a_partial_word(int length) =>
        Assert.Throws<FormatException>(() => AudioFingerprint.ParseChromaprintRaw(new byte[length]));

    [Fact]
    public void Rejects_more_than_the_bound() =>
        Assert.Throws<FormatException>(() => AudioFingerprint.ParseChromaprintRaw(new byte[(AudioFingerprint.MaxItems + 1) * 4]));

    [Theory]
    [InlineData(700, 100)]   // excerpt inside the reference
    [InlineData(-40, 120)]   // query starts before the reference (reference is the excerpt's tail)
    [InlineData(1950, 120)]  // query runs past the reference's end
    public void Finds_the_offset_of_a_noisy_excerpt(int offset, int length)
    {
        var rng = new Random(offset + 5000);
        var reference = RandomWords(rng, 2000);
        var query = new uint[length];
        for (var i = 0; i < length; i++)
        {
            var r = i + offset;
            query[i] = r >= 0 && r < reference.Length ? FlipBits(reference[r], rng, 0.1) : (uint)rng.NextInt64(1L << 32);
        }

        var alignment = AudioAligner.Align(new AudioFingerprint(query), new AudioFingerprint(reference));
        Assert.NotNull(alignment);
        Assert.Equal(offset, alignment.OffsetItems);
        Assert.Equal(offset * AudioFingerprint.ChromaprintItemSeconds, alignment.OffsetSeconds, 9);
        Assert.True(alignment.BitErrorRate < 0.2, $"BER {alignment.BitErrorRate}");
        Assert.True(alignment.OverlapSeconds >= AudioAligner.DefaultMinOverlapSeconds);
        Assert.True(alignment.IsMatch);
    }

    [Fact]
    public void Unrelated_audio_does_not_match()
    {
        var rng = new Random(11);
        var alignment = AudioAligner.Align(new AudioFingerprint(RandomWords(rng, 200)), new AudioFingerprint(RandomWords(rng, 2000)));
        Assert.NotNull(alignment);
        Assert.InRange(alignment.BitErrorRate, 0.4, 0.6);
        Assert.False(alignment.IsMatch);
    }

    [Fact]
    public void Silence_against_silence_is_not_a_match()
    {
        var silence = new AudioFingerprint(Enumerable.Repeat(0x5a5a5a5au, 200).ToArray());
        var alignment = AudioAligner.Align(silence, silence);
        Assert.NotNull(alignment);
        Assert.Equal(0, alignment.BitErrorRate);
        Assert.False(alignment.IsMatch);
    }

    [Fact]
    public void Too_little_overlap_gives_no_alignment()
    {
        var rng = new Random(12);
        var shortQuery = new AudioFingerprint(RandomWords(rng, 30)); // 3.7 s < 5 s
        Assert.Null(AudioAligner.Align(shortQuery, new AudioFingerprint(RandomWords(rng, 500))));
    }

    [Fact]
    public void A_window_limits_the_search()
    {
        var rng = new Random(13);
        var reference = RandomWords(rng, 1000);
        var query = reference.AsSpan(400, 100).ToArray();
        var found = AudioAligner.Align(new AudioFingerprint(query), new AudioFingerprint(reference), window: (45, 55));
        Assert.Equal(400, found!.OffsetItems);
        var elsewhere = AudioAligner.Align(new AudioFingerprint(query), new AudioFingerprint(reference), window: (0, 30));
        Assert.False(elsewhere!.IsMatch);
    }

    private static uint[] RandomWords(Random rng, int count) => Enumerable.Range(0, count).Select(_ => (uint)rng.NextInt64(1L << 32)).ToArray();

    private static uint FlipBits(uint word, Random rng, double probability)
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
