using TranscodeFarm.Core.Assets;
using TranscodeFarm.Core.Caching;
using TranscodeFarm.Core.Jobs;

namespace TranscodeFarm.Core.Tests;

public class ObjectKeysTests
{
    [Theory]
    [InlineData("abc123/master.m3u8")]
    [InlineData("abc/seg-0-00001.m4s")]
    [InlineData("a/b/c.mp4")]
    public void Accepts_asset_paths(string key) => Assert.True(ObjectKeys.IsValid(key));

    [Theory]
    [InlineData("")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../queue.db")]
    [InlineData("..")]
    [InlineData("a/./b")]
    [InlineData("a//b")]
    [InlineData("a/.meta/x.json")]
    [InlineData("a/b\\..\\c")]
    [InlineData("a/b%2e%2e")]
    [InlineData("a/ b")]
    [InlineData("a/")]
    public void Rejects_anything_that_could_escape_or_hide(string key) => Assert.False(ObjectKeys.IsValid(key));
}

public class MediaTypesTests
{
    [Theory]
    [InlineData("master.m3u8", false, "application/vnd.apple.mpegurl")]
    [InlineData("manifest.mpd", false, "application/dash+xml")]
    [InlineData("init-0.mp4", false, "video/mp4")]
    [InlineData("init-4.mp4", true, "audio/mp4")]
    [InlineData("seg-0-00001.m4s", false, "video/iso.segment")]
    [InlineData("seg-4-00001.m4s", true, "audio/mp4")]
    public void Content_types(string file, bool audio, string expected) => Assert.Equal(expected, MediaTypes.ForFile(file, audio));

    [Fact]
    public void Segments_are_immutable_and_manifests_short_lived()
    {
        Assert.Contains("immutable", MediaTypes.CacheControlFor("seg-0-00001.m4s"));
        Assert.Equal("public, max-age=10", MediaTypes.CacheControlFor("master.m3u8"));
    }
}

public class RetryPolicyTests
{
    [Fact]
    public void Backoff_doubles_and_is_capped()
    {
        var b = TimeSpan.FromSeconds(5);
        var max = TimeSpan.FromSeconds(30);
        Assert.Equal([5, 10, 20, 30, 30], Enumerable.Range(1, 5).Select(a => RetryPolicy.Backoff(a, b, max).TotalSeconds));
    }

    [Theory]
    [InlineData(false, 1, 3, JobState.Failed)]
    [InlineData(true, 1, 3, JobState.Queued)]
    [InlineData(true, 3, 3, JobState.Dead)]
    public void Next_state(bool retryable, int attempts, int max, JobState expected) =>
        Assert.Equal(expected, RetryPolicy.NextState(retryable, attempts, max));
}

public class RangeHeaderTests
{
    [Theory]
    [InlineData(null, RangeKind.Whole, 0, 999)]
    [InlineData("bytes=0-99", RangeKind.Single, 0, 99)]
    [InlineData("bytes=900-", RangeKind.Single, 900, 999)]
    [InlineData("bytes=-100", RangeKind.Single, 900, 999)]
    [InlineData("bytes=-5000", RangeKind.Single, 0, 999)]
    [InlineData("bytes=500-5000", RangeKind.Single, 500, 999)]
    [InlineData("bytes=1000-", RangeKind.Unsatisfiable, 0, 0)]
    [InlineData("bytes=0-1,5-6", RangeKind.Whole, 0, 999)]
    [InlineData("bytes=9-3", RangeKind.Whole, 0, 999)]
    [InlineData("items=0-1", RangeKind.Whole, 0, 999)]
    [InlineData("bytes=abc-", RangeKind.Whole, 0, 999)]
    public void Parses_single_ranges(string? header, RangeKind kind, long from, long to) =>
        Assert.Equal((kind, from, to), RangeHeader.Parse(header, 1000));
}

