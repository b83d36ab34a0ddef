using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

/// <summary>Voices against words (issue 17): the same recording dips at one offset, the same voice is alike everywhere.</summary>
public sealed class AudioVerifierTests
{
    private const double Item = AudioFingerprint.ChromaprintItemSeconds;

    /// <summary>"One voice": every word is one centre word with each bit flipped at 15%, so any two are ~25% apart at any offset.</summary>
    private static uint[] Voice(Random rng, uint centre, int count) =>
        Enumerable.Range(0, count).Select(_ => SyntheticAudio.Flip(centre, rng, 0.15)).ToArray();

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.2)]
    [InlineData(0.25)]
    public void A_reencode_agrees_in_every_window(double bitErrorRate)
    {
        var rng = new Random(1);
        var reference = SyntheticAudio.Words(rng, 30.0);
        var query = SyntheticAudio.Excerpt(reference, 40, SyntheticAudio.ItemsFor(12), rng, bitErrorRate);

        var check = AudioVerifier.Check(query.Items, reference, 40, 0.3, 0.12, Item);

        Assert.Equal(check.Windows, check.Agreeing);
        Assert.True(check.Windows >= 3, $"{check.Windows} windows");
        Assert.InRange(check.MedianContrast, 0.15, 0.5);
        Assert.Equal(check.Agreeing * AudioVerifier.DefaultWindowItems * Item, check.AgreeingSeconds, 6);
    }

    [Fact]
    public void The_same_voice_saying_other_words_is_flat_and_does_not_agree()
    {
        var rng = new Random(2);
        var reference = Voice(rng, 0x0f0f3c3cu, 300);
        var query = Voice(rng, 0x0f0f3c3cu, 120);
        var alignment = AudioAligner.Align(new AudioFingerprint(query), new AudioFingerprint(reference))!;
        Assert.True(alignment.IsMatch, $"the old rule alone calls it a match: BER {alignment.BitErrorRate:0.000}");

        var check = AudioVerifier.Check(query, reference, alignment.OffsetItems, 0.3, 0.12, Item);

        Assert.Equal(0, check.Agreeing);
        Assert.InRange(check.MedianContrast, -0.05, 0.05);
    }

    [Fact]
    public void A_wrong_offset_does_not_agree()
    {
        var rng = new Random(3);
        var reference = SyntheticAudio.Words(rng, 30.0);
        var query = SyntheticAudio.Excerpt(reference, 40, 100, rng, 0.1);

        Assert.Equal(0, AudioVerifier.Check(query.Items, reference, 52, 0.3, 0.12, Item).Agreeing);
    }

    [Fact]
    public void Silence_is_no_window_at_all()
    {
        var silence = SyntheticAudio.Silence(10);

        Assert.Equal(AudioSpanCheck.None, AudioVerifier.Check(silence.Items, silence.Items, 0, 0.3, 0.12, Item));
        Assert.Equal(0, AudioVerifier.SoundSeconds(silence.Items, Item));
    }

    [Fact]
    public void Sound_seconds_leave_silence_out()
    {
        var rng = new Random(4);
        var words = SyntheticAudio.Words(rng, 48).Concat(Enumerable.Repeat(7u, 48)).ToArray();

        Assert.Equal(2 * AudioVerifier.DefaultWindowItems * Item, AudioVerifier.SoundSeconds(words, Item), 6);
    }

    [Fact]
    public void The_audio_index_no_longer_matches_one_voice_saying_other_words()
    {
        var rng = new Random(5);
        using var index = new AudioIndex();
        index.Add("narration", new AudioFingerprint(Voice(rng, 0x0f0f3c3cu, 400)));
        var recording = SyntheticAudio.Words(rng, 40.0);
        index.Add("recording", new AudioFingerprint(recording));

        Assert.Empty(index.Query(new AudioFingerprint(Voice(rng, 0x0f0f3c3cu, 120))));
        Assert.Equal("recording", Assert.Single(index.Query(SyntheticAudio.Excerpt(recording, 30, 120, rng, 0.2))).AssetId);
    }

    [Fact]
    public void A_jingle_at_the_start_of_a_long_upload_is_not_its_source()
    {
        var rng = new Random(6);
        var jingle = SyntheticAudio.Words(rng, 7.0);
        // The jingle (re-encoded) then 20 s of other sound: the overlap is the jingle's 7 s, a quarter of the query's sound.
        var query = new AudioFingerprint(SyntheticAudio.Excerpt(jingle, 0, jingle.Length, rng, 0.1).Items.ToArray().Concat(SyntheticAudio.Words(rng, 20.0)).ToArray());
        using var strict = new AudioIndex();
        strict.Add("jingle", new AudioFingerprint(jingle));
        using var lenient = new AudioIndex(new AudioIndexOptions { MinQueryShare = 0.1 });
        lenient.Add("jingle", new AudioFingerprint(jingle));

        Assert.Empty(strict.Query(query));
        Assert.Equal("jingle", Assert.Single(lenient.Query(query)).AssetId);
    }
}
