using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Encryption;

namespace TranscodeFarm.Core.Tests.Packaging;

public class PooledSegmentMemoryTests
{
    [Fact]
    public void Bytes_are_released_once_and_unreadable_afterwards()
    {
        var memory = new PooledSegmentMemory(1000).Memory;
        Assert.Equal(1000, memory.Length);
        memory.Span.Fill(7);

        Assert.True(PooledSegmentMemory.Release(memory));
        Assert.False(PooledSegmentMemory.Release(memory));
        Assert.Throws<ObjectDisposedException>(() => memory.Span[0]);
        Assert.False(PooledSegmentMemory.Release(new byte[10])); // not pooled: nothing to give back
    }

    [Theory]
    [InlineData(EncryptionScheme.Cenc)]
    [InlineData(EncryptionScheme.Cbcs)]
    public async Task A_sink_that_releases_every_segment_gets_the_same_bytes_as_one_that_keeps_them(EncryptionScheme scheme)
    {
        var key = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var options = new PackagerOptions(0.5)
        {
            EncryptionFor = (_, _) => new TrackEncryption(scheme, Guid.Empty, key, new byte[scheme == EncryptionScheme.Cenc ? 8 : 16], []),
        };
        var kept = await PackagingFixture.PackageAsync(PackagingFixture.Input, options);
        var released = await PackagingFixture.PackageAsync(PackagingFixture.Input, options, releasing: true);

        Assert.True(released.Released > 4); // buffers really went back to the pool (and were reused by later segments)
        Assert.Equal(kept.Files.Keys.Order(), released.Files.Keys.Order());
        Assert.All(kept.Files, f => Assert.Equal(f.Value, released.Files[f.Key]));
    }
}
