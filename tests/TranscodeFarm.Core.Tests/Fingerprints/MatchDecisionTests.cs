using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

/// <summary>The decision table of decision 012 (issue 17): the picture outweighs the sound, and sound alone under another picture claims nothing.</summary>
public sealed class MatchDecisionTests
{
    private static ContentMatch Match(MatchSource source, PictureEvidence? picture = null)
    {
        var match = new ContentMatch("a", 0.7, 0, 30, source, source == MatchSource.Video ? null : 0.15);
        return picture is { } p ? match with { Picture = p } : match;
    }

    [Theory]
    [InlineData(MatchSource.Video, null, MatchKinds.Reference)]                              // picture supports, sound differs or is gone: still a claim
    [InlineData(MatchSource.Both, null, MatchKinds.Reference)]
    [InlineData(MatchSource.Audio, PictureEvidence.Unknown, MatchKinds.Reference)]           // no picture to judge (audio-only upload, black, heavy crop)
    [InlineData(MatchSource.Audio, PictureEvidence.Supports, MatchKinds.Reference)]
    [InlineData(MatchSource.Audio, PictureEvidence.Contradicts, MatchKinds.AudioOnly)]       // sound alike, picture clearly other
    public void Kind_of_a_reference_match(MatchSource source, PictureEvidence? picture, string kind) =>
        Assert.Equal(kind, MatchKinds.Of(Match(source, picture), 30, 30, isReference: true));

    [Fact]
    public void Sound_alone_under_another_picture_is_never_a_duplicate()
    {
        Assert.Equal(MatchKinds.AudioOnly, MatchKinds.Of(Match(MatchSource.Audio, PictureEvidence.Contradicts), 30, 30, isReference: false));
        Assert.Equal(MatchKinds.Duplicate, MatchKinds.Of(Match(MatchSource.Audio), 30, 30, isReference: false));
        Assert.False(MatchKinds.IsClaim(MatchKinds.AudioOnly));
        Assert.True(MatchKinds.IsClaim(MatchKinds.Duplicate));
    }

    [Theory]
    [InlineData(MatchKinds.AudioOnly, IngestPolicy.RejectPolicy, IngestAction.Publish)]
    [InlineData(MatchKinds.AudioOnly, IngestPolicy.RejectAudioOnlyPolicy, IngestAction.Reject)]
    [InlineData(MatchKinds.AudioOnly, IngestPolicy.Tag, IngestAction.Publish)]
    [InlineData(MatchKinds.Reference, IngestPolicy.RejectAudioOnlyPolicy, IngestAction.Reject)]
    [InlineData(MatchKinds.Reference, IngestPolicy.RejectPolicy, IngestAction.Reject)]
    public void Audio_only_rejects_only_where_the_collection_asks(string kind, string policy, IngestAction action)
    {
        var match = new CatalogMatch("refs", "r1", "jingle.wav", kind, 0.6, 3, 12, "audio", 0.2);

        var decision = IngestPolicy.Decide([match], IngestPolicy.AliasPolicy, _ => policy);

        Assert.Equal(action, decision.Action);
        if (action == IngestAction.Reject && kind == MatchKinds.AudioOnly)
        {
            Assert.Contains("sound matches reference 'jingle.wav'", decision.Reason);
            Assert.Contains(IngestPolicy.RejectAudioOnlyPolicy, decision.Reason);
        }
    }

    [Fact]
    public void An_audio_only_match_to_an_asset_is_never_aliased()
    {
        var match = new CatalogMatch("assets", "job1", "clip.mp4", MatchKinds.AudioOnly, 0.9, 0, 30, "audio", 0.05);

        Assert.Equal(IngestAction.Publish, IngestPolicy.Decide([match], IngestPolicy.AliasPolicy, _ => IngestPolicy.Tag).Action);
    }

    [Fact]
    public void Policy_names() =>
        Assert.Equal([true, true, true, false], new[] { "reject", "reject-audio-only", "tag", "block" }.Select(IngestPolicy.IsCollectionPolicy));
}
