using TranscodeFarm.Core.Drm;

namespace TranscodeFarm.Core.Tests.Drm;

public class ContentKeyTests
{
    [Fact]
    public void ToString_shows_the_kid_but_never_the_key()
    {
        var key = new ContentKey(new Guid("00112233-4455-6677-8899-aabbccddeeff"), Enumerable.Range(0xA0, 16).Select(i => (byte)i).ToArray(), "hd");
        var text = key.ToString();
        Assert.Contains("00112233-4455-6677-8899-aabbccddeeff", text);
        Assert.Contains("hd", text);
        Assert.DoesNotContain(Convert.ToHexString(key.Key), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(key.Key), text);
        Assert.Equal("ContentKey { KeyId = 00112233-4455-6677-8899-aabbccddeeff, Track = hd }", text);
    }

    [Fact]
    public void Generate_gives_distinct_random_keys()
    {
        var a = ContentKey.Generate("video");
        var b = ContentKey.Generate("video");
        Assert.NotEqual(a.KeyId, b.KeyId);
        Assert.False(a.Key.AsSpan().SequenceEqual(b.Key));
        Assert.Equal(16, a.Key.Length);
        Assert.Equal("video", a.Track);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(32)]
    [InlineData(0)]
    public void Rejects_keys_that_are_not_16_bytes(int length) =>
        Assert.Throws<ArgumentException>(() => new ContentKey(Guid.NewGuid(), new byte[length], "all"));

    [Theory]
    [InlineData("")]
    [InlineData("Video")]
    [InlineData("a b")]
    public void Rejects_odd_track_names(string track) =>
        Assert.Throws<ArgumentException>(() => new ContentKey(Guid.NewGuid(), new byte[16], track));

    [Fact]
    public void Holds_its_own_copy_and_compares_by_value()
    {
        var bytes = new byte[16];
        var kid = Guid.NewGuid();
        var key = new ContentKey(kid, bytes, "all");
        bytes[0] = 1;
        Assert.Equal(0, key.Key[0]);
        Assert.Equal(key, new ContentKey(kid, new byte[16], "all"));
        Assert.NotEqual(key, new ContentKey(kid, bytes, "all"));
    }
}
