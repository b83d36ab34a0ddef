using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

public class ContentMatchMergerTests
{
    [Fact]
    public void A_video_match_alone_stays_a_video_match()
    {
        var merged = ContentMatchMerger.Merge([new FingerprintMatch("a", 0.9, 12.0, 10)], [], 5);
        Assert.Equal(new ContentMatch("a", 0.9, 12.0, 10, MatchSource.Video, null), Assert.Single(merged));
    }

    [Fact]
    public void An_audio_match_alone_counts_with_its_score_from_the_bit_error_rate()
    {
        var merged = ContentMatchMerger.Merge([], [new AudioMatch("a", 3.5, 0.15, 20)], 5);
        var only = Assert.Single(merged);
        Assert.Equal(MatchSource.Audio, only.Source);
        Assert.Equal(0.7, only.Score, 9);
        Assert.Equal(3.5, only.OffsetSeconds);
        Assert.Equal(0.15, only.AudioBitErrorRate);
    }

    [Fact]
    public void Video_and_audio_at_a_consistent_offset_become_one_match_from_both()
    {
        var merged = ContentMatchMerger.Merge([new FingerprintMatch("a", 0.8, 12.0, 10)], [new AudioMatch("a", 12.7, 0.2, 11)], 5);
        var both = Assert.Single(merged);
        Assert.Equal(MatchSource.Both, both.Source);
        Assert.Equal(1 - (0.2 * 0.4), both.Score, 9); // stronger than either track alone
        Assert.Equal(12.7, both.OffsetSeconds);      // the audio offset: finer than a frame every 0.5 s
        Assert.Equal(11, both.MatchedSeconds);
        Assert.Equal(0.2, both.AudioBitErrorRate);
    }

    [Fact]
    public void Conflicting_offsets_are_not_merged()
    {
        // The asset's music under other pictures, 40 s later: two findings, not one.
        var merged = ContentMatchMerger.Merge([new FingerprintMatch("a", 0.9, 12.0, 10)], [new AudioMatch("a", 52.0, 0.1, 10)], 5);
        Assert.Equal(2, merged.Count);
        Assert.Equal([MatchSource.Video, MatchSource.Audio], merged.Select(m => m.Source));
        Assert.All(merged, m => Assert.Equal("a", m.AssetId));
    }

    [Fact]
    public void Audio_of_another_asset_does_not_confirm_a_video_match()
    {
        var merged = ContentMatchMerger.Merge([new FingerprintMatch("a", 0.9, 12.0, 10)], [new AudioMatch("b", 12.0, 0.1, 10)], 5);
        Assert.Equal(["a", "b"], merged.Select(m => m.AssetId));
        Assert.DoesNotContain(merged, m => m.Source == MatchSource.Both);
    }

    [Fact]
    public void Orders_by_score_then_both_first_and_keeps_the_best_n()
    {
        var merged = ContentMatchMerger.Merge(
            [new FingerprintMatch("video-only", 1.0, 0, 10), new FingerprintMatch("both", 1.0, 0, 10), new FingerprintMatch("weak", 0.5, 0, 10)],
            [new AudioMatch("both", 0.2, 0.1, 10), new AudioMatch("audio", 0, 0.05, 10)],
            3);
        Assert.Equal(["both", "video-only", "audio"], merged.Select(m => m.AssetId));
    }
}
