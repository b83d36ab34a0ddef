using TranscodeFarm.Core.Assets;
using TranscodeFarm.Core.Jobs;

namespace TranscodeFarm.Core.Tests;

public sealed class SubmittedSourceTests
{
    private const string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    [Fact]
    public void A_content_hash_names_one_key_and_one_source_path_that_read_back()
    {
        var key = SubmittedSource.KeyFor(Hash);
        Assert.Equal("sources/" + Hash, key);
        Assert.True(ObjectKeys.IsValid(key));
        var path = SubmittedSource.SourcePathFor(key);
        Assert.Equal("store:sources/" + Hash, path);
        Assert.True(SubmittedSource.TryGetKey(path, out var back));
        Assert.Equal(key, back);
        Assert.True(SubmittedSource.TryGetContentHash(back, out var hash));
        Assert.Equal(Hash, hash);
    }

    [Theory]
    [InlineData("/data/sources/abc/source.mp4")]
    [InlineData("s3://bucket/incoming/.processing/x/source.mp4")]
    [InlineData("store:sources/../etc/passwd")]
    [InlineData("store:sources/9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08")]
    [InlineData("store:j-123/master.m3u8")]
    [InlineData(null)]
    public void Other_source_paths_are_not_store_objects(string? sourcePath) =>
        Assert.False(SubmittedSource.TryGetKey(sourcePath, out _));

    [Fact]
    public void Only_hashes_make_keys() =>
        Assert.Throws<ArgumentException>(() => SubmittedSource.KeyFor("../x"));

    [Theory]
    [InlineData(JobState.Succeeded, true)]
    [InlineData(JobState.Cancelled, true)]
    [InlineData(JobState.Failed, false)]
    [InlineData(JobState.Dead, false)]
    [InlineData(JobState.Queued, false)]
    [InlineData(JobState.Running, false)]
    public void Only_success_and_cancellation_let_a_source_go(JobState state, bool released) =>
        Assert.Equal(released, SubmittedSource.IsReleasedIn(state));
}
