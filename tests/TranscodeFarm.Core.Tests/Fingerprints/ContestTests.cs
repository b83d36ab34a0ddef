using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

/// <summary>One stretch of sound matching several unrelated assets is evidence against each (issue 17).</summary>
public sealed class ContestTests
{
    private static ContentMatch Sound(string asset, double offset, double ber, double seconds = 20) =>
        new(asset, 1 - (2 * ber), offset, seconds, MatchSource.Audio, ber);

    private static bool Unrelated(string a, string b, double offset) => false;

    [Fact]
    public void Unrelated_assets_claiming_the_same_stretch_keep_only_near_identical_matches()
    {
        var kept = ContentMatcher.Contest([Sound("a", 5, 0.2), Sound("b", 40, 0.22), Sound("c", -3, 0.06)], Unrelated);

        Assert.Equal(["c"], kept.Select(m => m.AssetId));
    }

    [Fact]
    public void Copies_of_one_recording_are_no_contest() =>
        Assert.Equal(2, ContentMatcher.Contest([Sound("a", 5, 0.2), Sound("b", 40, 0.22)], (a, b, offset) => Math.Abs(offset - 35) < 1).Count);

    [Fact]
    public void Different_stretches_of_the_query_are_no_contest() =>
        // a covers query 0–20 s (offset 5: query 0 → asset 5), b covers 30–50 s (offset −30 puts query 30 at asset 0).
        Assert.Equal(2, ContentMatcher.Contest([Sound("a", 5, 0.2), Sound("b", -30, 0.2)], Unrelated).Count);

    [Fact]
    public void A_match_the_picture_supports_is_not_contested()
    {
        var kept = ContentMatcher.Contest([Sound("a", 5, 0.2) with { Picture = PictureEvidence.Supports }, Sound("b", 40, 0.2), new ContentMatch("c", 0.9, 0, 20, MatchSource.Both, 0.2)], Unrelated);

        Assert.Equal(["a", "b", "c"], kept.Select(m => m.AssetId));
    }
}
