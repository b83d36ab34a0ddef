using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

/// <summary>The combined matcher end to end, on 50 synthetic assets with both tracks and one audio-only asset.</summary>
public sealed class ContentMatcherTests : IDisposable
{
    private readonly List<(Synthetic.Scene[] Scenes, uint[] Words)> _assets = [];
    private readonly ContentMatcher _matcher = new();

    public ContentMatcherTests()
    {
        var rng = new Random(42);
        for (var a = 0; a < 50; a++)
        {
            var scenes = Synthetic.Scenes(rng, 120);
            var words = SyntheticAudio.Words(rng, 120.0);
            _assets.Add((scenes, words));
            _matcher.Add(Id(a), Synthetic.Sample(scenes, rng, 0, 120, Synthetic.Interval, jitterBits: 4), new AudioFingerprint(words));
        }

        _matcher.Add("podcast", null, new AudioFingerprint(SyntheticAudio.Words(rng, 120.0)));
    }

    public void Dispose() => _matcher.Dispose();

    [Fact]
    public void An_excerpt_with_both_tracks_is_found_by_both()
    {
        var (video, audio) = Excerpt(7, 40.0, 15);
        var best = _matcher.Query(video, audio)[0];
        Assert.Equal(Id(7), best.AssetId);
        Assert.Equal(MatchSource.Both, best.Source);
        Assert.InRange(best.OffsetSeconds, 39.75, 40.25);
        Assert.NotNull(best.AudioBitErrorRate);
    }

    [Fact]
    public void Either_track_alone_finds_the_asset()
    {
        var (video, audio) = Excerpt(21, 60.0, 15);
        var byVideo = _matcher.Query(video, null)[0];
        Assert.Equal((Id(21), MatchSource.Video), (byVideo.AssetId, byVideo.Source));
        var byAudio = _matcher.Query(null, audio)[0];
        Assert.Equal((Id(21), MatchSource.Audio), (byAudio.AssetId, byAudio.Source));
        Assert.InRange(byAudio.OffsetSeconds, 59.75, 60.25);
    }

    [Fact]
    public void Audio_finds_the_asset_when_the_pictures_are_unrecognisable()
    {
        var (_, audio) = Excerpt(3, 10.0, 15);
        var rng = new Random(8);
        var otherPictures = Synthetic.Sample(Synthetic.Scenes(rng, 15), rng, 0, 15, Synthetic.Interval, jitterBits: 4);
        var best = Assert.Single(_matcher.Query(otherPictures, audio));
        Assert.Equal((Id(3), MatchSource.Audio), (best.AssetId, best.Source));
    }

    [Fact]
    public void Add_replaces_both_tracks_and_remove_forgets_the_asset()
    {
        var (video, audio) = Excerpt(5, 30.0, 15);
        Assert.Equal(51, _matcher.Count);
        _matcher.Add(Id(5), null, new AudioFingerprint(_assets[5].Words)); // the new version has no video
        Assert.Equal(51, _matcher.Count);
        Assert.DoesNotContain(_matcher.Query(video, null), m => m.AssetId == Id(5));
        Assert.Equal(MatchSource.Audio, _matcher.Query(video, audio)[0].Source);

        Assert.True(_matcher.Remove(Id(5)));
        Assert.False(_matcher.Contains(Id(5)));
        Assert.Equal(50, _matcher.Count);
        Assert.DoesNotContain(_matcher.Query(video, audio), m => m.AssetId == Id(5));
        Assert.Throws<ArgumentException>(() => _matcher.Add("empty", null, null));
    }

    [Fact]
    public void Nothing_in_nothing_out()
    {
        Assert.Empty(_matcher.Query(null, null));
        Assert.Empty(_matcher.Query(VideoFingerprint.Empty, new AudioFingerprint([])));
    }

    [Theory]
    [InlineData(100, 100, 90, ContentOverlap.Duplicate)]
    [InlineData(10, 100, 10, ContentOverlap.Excerpt)]
    [InlineData(300, 100, 95, ContentOverlap.Contains)]
    [InlineData(100, 100, 30, ContentOverlap.Partial)]
    public void Classifies_how_much_a_match_covers(double query, double asset, double matched, ContentOverlap expected) =>
        Assert.Equal(expected, new ContentMatch("a", 1, 0, matched, MatchSource.Both, null).Classify(query, asset));

    private static string Id(int asset) => $"asset-{asset:D2}";

    private (VideoFingerprint Video, AudioFingerprint Audio) Excerpt(int asset, double from, double seconds)
    {
        var rng = new Random(asset);
        var (scenes, words) = _assets[asset];
        var video = Synthetic.Sample(scenes, rng, from, seconds, Synthetic.Interval, jitterBits: 10);
        var start = (int)Math.Round(from / AudioFingerprint.ChromaprintItemSeconds);
        return (video, SyntheticAudio.Excerpt(words, start, SyntheticAudio.ItemsFor(seconds), rng, 0.15));
    }
}
