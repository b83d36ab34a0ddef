using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

/// <summary>Adding, replacing and removing, on small indexes of their own.</summary>
public class AudioIndexMaintenanceTests
{
    [Fact]
    public void A_removed_asset_is_no_longer_found_and_can_come_back()
    {
        using var index = new AudioIndex();
        var rng = new Random(5);
        var words = SyntheticAudio.Words(rng, 90.0);
        index.Add("a", new AudioFingerprint(words));
        index.Add("b", new AudioFingerprint(SyntheticAudio.Words(rng, 90.0)));
        var postingsOfB = index.PostingCount;
        var query = SyntheticAudio.Excerpt(words, 200, 81, rng, 0.15);
        Assert.Equal("a", Assert.Single(index.Query(query)).AssetId);

        Assert.True(index.Remove("a"));
        Assert.False(index.Remove("a"));
        Assert.False(index.Contains("a"));
        Assert.Empty(index.Query(query));
        Assert.Equal(1, index.AssetCount);
        Assert.InRange(index.PostingCount, 1, postingsOfB - 1); // a's postings went with it

        index.Add("a2", new AudioFingerprint(words));
        index.Add("a2", new AudioFingerprint(words)); // replacing keeps one copy
        Assert.Equal("a2", Assert.Single(index.Query(query)).AssetId);
        Assert.Equal(2, index.AssetCount);
        Assert.Equal(postingsOfB, index.PostingCount);
    }

    [Fact]
    public void Held_words_are_filed_once_not_per_item()
    {
        using var index = new AudioIndex();
        index.Add("silence", SyntheticAudio.Silence(60));
        Assert.Equal(2, index.PostingCount); // the first item's two halves
    }

    [Fact]
    public void A_jingle_in_many_assets_does_not_hide_where_the_query_comes_from()
    {
        // 200 assets open with the same 10-s jingle; the query is the jingle and then 10 s of asset 77's own audio.
        var rng = new Random(6);
        var jingle = SyntheticAudio.Words(rng, 10.0);
        var assets = Enumerable.Range(0, 200).Select(_ => jingle.Concat(SyntheticAudio.Words(rng, 50.0)).ToArray()).ToList();
        var query = SyntheticAudio.Excerpt(assets[77], 0, SyntheticAudio.ItemsFor(20), rng, 0.15);
        // Strict enough that the jingle's buckets (~200 postings against a mean of ~4) count as over-popular.
        var strict = new AudioIndexOptions { PopularBucketFactor = 10, MinPopularBucketPostings = 50 };
        foreach (var options in new[] { new AudioIndexOptions(), strict })
        {
            using var index = new AudioIndex(options);
            for (var a = 0; a < assets.Count; a++)
            {
                index.Add($"a{a}", new AudioFingerprint(assets[a]));
            }

            var best = index.Query(query)[0];
            Assert.Equal("a77", best.AssetId);
            Assert.Equal(0, best.OffsetSeconds);
        }
    }

    [Fact]
    public void Rejects_another_item_period_and_bad_options()
    {
        using var index = new AudioIndex();
        var other = new AudioFingerprint(new uint[100], itemSeconds: 0.1);
        Assert.Throws<ArgumentException>(() => index.Add("x", other));
        Assert.Throws<ArgumentException>(() => index.Query(other));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioIndex(new AudioIndexOptions { MaxNeighbourProbeItems = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioIndex(new AudioIndexOptions { MaxWordDistance = 33 }));
    }
}
