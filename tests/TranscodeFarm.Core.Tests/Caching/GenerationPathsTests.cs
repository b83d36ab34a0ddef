using TranscodeFarm.Core.Assets;

namespace TranscodeFarm.Core.Tests.Caching;

public sealed class GenerationPathsTests
{
    [Theory]
    [InlineData("a1/master.m3u8", 3, "a1/g3/master.m3u8")]   // the root manifests are the published generation's
    [InlineData("a1/manifest.mpd", 3, "a1/g3/manifest.mpd")]
    [InlineData("a1/g3/seg-0-00001.m4s", 3, "a1/g3/seg-0-00001.m4s")]
    [InlineData("a1/g3/master.m3u8", 3, "a1/g3/master.m3u8")] // a generation's own folder plays as it is
    [InlineData("a1/g2/init-0.mp4", 3, "a1/g2/init-0.mp4")]   // older: players mid-session
    [InlineData("a1/g4/init-0.mp4", 3, null)]                 // newer: encoding or never approved
    [InlineData("a1/g10/init-0.mp4", 3, null)]
    [InlineData("a1/master.m3u8", 0, "a1/master.m3u8")]       // generation 0: the flat layout before generations
    [InlineData("a1/seg-0-00001.m4s", 0, "a1/seg-0-00001.m4s")]
    [InlineData("a1/g1/seg-0-00001.m4s", 0, null)]
    [InlineData("a1/media_0.m3u8", 3, "a1/media_0.m3u8")]     // not a top manifest: not mapped (and not stored there)
    [InlineData("a1/g03/x.m4s", 3, "a1/g03/x.m4s")]           // not a generation folder name
    public void Maps_public_paths_onto_generations(string key, int published, string? expected) =>
        Assert.Equal(expected, GenerationPaths.StoredKey(key, "a1", published));

    [Theory]
    [InlineData("a1/g3/media_0.m3u8", false)]
    [InlineData("a1/g3/master.m3u8", false)]
    [InlineData("a1/master.m3u8", true)]
    [InlineData("a1/manifest.mpd", true)]
    [InlineData("a1/g3/seg-0-00001.m4s", false)]
    public void Only_manifests_outside_a_generation_are_mutable(string key, bool mutable) =>
        Assert.Equal(mutable, ObjectKeys.IsMutable(key));
}
