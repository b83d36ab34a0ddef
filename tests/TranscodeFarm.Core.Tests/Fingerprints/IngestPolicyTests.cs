using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

public sealed class IngestPolicyTests
{
    private static CatalogMatch Match(string collection, string kind, double score = 0.9) =>
        new(collection, "id-" + collection, "clip.mp4", kind, score, 12.5, 8, "video", null);

    private static string Policy(string collection) => collection == "blocked" ? IngestPolicy.RejectPolicy : IngestPolicy.Tag;

    [Theory]
    [InlineData(30, 30, 30, MatchKinds.Duplicate)]
    [InlineData(9.5, 10, 60, MatchKinds.Excerpt)]     // a 10 s cut of a 1-minute asset
    [InlineData(9.5, 60, 10, MatchKinds.Contains)]    // the upload contains a 10 s asset
    [InlineData(9.5, 60, 60, MatchKinds.Partial)]
    public void Coverage_decides_the_kind(double matched, double query, double entry, string kind) =>
        Assert.Equal(kind, MatchKinds.Of(new ContentMatch("a", 1, 0, matched, MatchSource.Video, null), query, entry, isReference: false));

    [Fact]
    public void A_reference_is_a_reference_whatever_its_coverage() =>
        Assert.Equal(MatchKinds.Reference, MatchKinds.Of(new ContentMatch("a", 1, 0, 30, MatchSource.Video, null), 30, 30, isReference: true));

    [Fact]
    public void A_blocked_reference_rejects_even_when_a_duplicate_ranks_first()
    {
        var decision = IngestPolicy.Decide([Match("assets", MatchKinds.Duplicate, 0.99), Match("blocked", MatchKinds.Reference, 0.7)], IngestPolicy.AliasPolicy, Policy);

        Assert.Equal(IngestAction.Reject, decision.Action);
        Assert.Contains("reference 'clip.mp4' (id id-blocked) in collection 'blocked'", decision.Reason);
        Assert.Contains("offset 12.5 s", decision.Reason);
    }

    [Fact]
    public void A_tagging_collection_does_not_reject() =>
        Assert.Equal(IngestAction.Publish, IngestPolicy.Decide([Match("watchlist", MatchKinds.Reference)], IngestPolicy.Tag, Policy).Action);

    [Theory]
    [InlineData(IngestPolicy.AliasPolicy, IngestAction.Alias)]
    [InlineData(IngestPolicy.Tag, IngestAction.Publish)]
    [InlineData(IngestPolicy.Off, IngestAction.Publish)]
    public void Duplicates_follow_their_policy(string duplicates, IngestAction action) =>
        Assert.Equal(action, IngestPolicy.Decide([Match("assets", MatchKinds.Duplicate)], duplicates, Policy).Action);

    [Theory]
    [InlineData("video", 0.45, IngestAction.Publish)] // only the near rule found it: tagged, encoded
    [InlineData("video", 0.5, IngestAction.Publish)]
    [InlineData("video", 0.51, IngestAction.Alias)]   // the 31-bit rule found it
    [InlineData("both", 0.45, IngestAction.Alias)]    // near by picture, and the sound agrees
    public void A_duplicate_is_aliased_only_on_strong_evidence(string source, double score, IngestAction action) =>
        Assert.Equal(action, IngestPolicy.Decide([Match("assets", MatchKinds.Duplicate, score) with { Source = source }], IngestPolicy.AliasPolicy, Policy).Action);

    [Fact]
    public void An_excerpt_is_never_aliased() =>
        Assert.Equal(IngestAction.Publish, IngestPolicy.Decide([Match("assets", MatchKinds.Excerpt)], IngestPolicy.AliasPolicy, Policy).Action);

    [Fact]
    public void Gate_arguments_decode_each_renditions_keyframes_from_stdin_into_its_own_file()
    {
        var args = QualityGateArguments.Build([new GateTrack("240p", 0, "/w/gate-0.gray")], [new GateTrack("aac", 2, "/w/gate-2.fp")]);

        Assert.Equal(["-map", "0:0", "-vf", QualityGateArguments.KeyframeFilter, "-fps_mode", "passthrough", "-f", "rawvideo", "file:/w/gate-0.gray"], args.SkipWhile(a => a != "-map").Take(9));
        Assert.Equal(["-map", "0:2", "-ac", "1", "-f", "chromaprint", "-fp_format", "raw", "file:/w/gate-2.fp"], args.TakeLast(9));
        // The encoder's own stream only: the mp4 demuxer, the pipe protocol, keyframes of video alone.
        Assert.Equal(["-format_whitelist", "mov,mp4,m4a,3gp,3g2,mj2", "-protocol_whitelist", "pipe", "-skip_frame:v", "nokey", "-f", "mp4", "-i", "pipe:0"], args.Skip(5).Take(10));
    }
}
