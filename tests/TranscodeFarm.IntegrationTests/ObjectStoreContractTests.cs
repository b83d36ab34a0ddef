using System.Security.Cryptography;
using System.Text;
using TranscodeFarm.Storage;

namespace TranscodeFarm.IntegrationTests;

public sealed class FileSystemObjectStoreTests
{
    private readonly string _root = Directory.CreateTempSubdirectory("tf-store-").FullName;
    private FileSystemObjectStore Store => new(_root, TimeProvider.System);
    private static readonly ObjectProperties Segment = new("video/iso.segment", "public, max-age=31536000, immutable");

    [Fact]
    public async Task Put_get_head_with_md5_etag_and_properties()
    {
        var data = RandomNumberGenerator.GetBytes(200_000);
        var put = await Store.PutAsync("a1/seg-0-00001.m4s", new MemoryStream(data), Segment, default);
        Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(data))}\"", put.ETag);
        var head = await Store.HeadAsync("a1/seg-0-00001.m4s", default);
        Assert.Equal((200_000L, put.ETag, "video/iso.segment"), (head!.Length, head.ETag, head.ContentType));
        await using var got = await Store.GetAsync("a1/seg-0-00001.m4s", null, default);
        var buffer = new MemoryStream();
        await got!.Stream.CopyToAsync(buffer);
        Assert.Equal(data, buffer.ToArray());
    }

    [Fact]
    public async Task Range_reads_return_exactly_the_range()
    {
        var data = Encoding.ASCII.GetBytes("0123456789abcdef");
        await Store.PutAsync("a/x.mp4", new MemoryStream(data), Segment, default);
        await using var part = await Store.GetAsync("a/x.mp4", new ByteRange(4, 9), default);
        var buffer = new MemoryStream();
        await part!.Stream.CopyToAsync(buffer);
        Assert.Equal("456789", Encoding.ASCII.GetString(buffer.ToArray()));
    }

    [Fact]
    public async Task List_by_prefix_hides_internal_files_and_delete_removes()
    {
        await Store.PutAsync("a/1.m4s", new MemoryStream([1]), Segment, default);
        await Store.PutAsync("a/2.m4s", new MemoryStream([2]), Segment, default);
        await Store.PutAsync("b/1.m4s", new MemoryStream([3]), Segment, default);
        var keys = new List<string>();
        await foreach (var o in Store.ListAsync("a/", default))
        {
            keys.Add(o.Key);
        }

        Assert.Equal(["a/1.m4s", "a/2.m4s"], keys);
        Assert.True(await Store.DeleteAsync("a/1.m4s", default));
        Assert.False(await Store.DeleteAsync("a/1.m4s", default));
        Assert.Null(await Store.HeadAsync("a/1.m4s", default));
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("a/../../outside")]
    [InlineData("/abs")]
    [InlineData(".meta/a.json")]
    public async Task Keys_that_could_escape_are_refused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(key, new MemoryStream([1]), Segment, default));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_root)!, "outside")));
    }

    [Fact]
    public async Task A_failed_write_leaves_the_old_object_intact()
    {
        await Store.PutAsync("a/m.m3u8", new MemoryStream(Encoding.ASCII.GetBytes("old")), Segment, default);
        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync("a/m.m3u8", new FailingStream(), Segment, default));
        await using var got = await Store.GetAsync("a/m.m3u8", null, default);
        Assert.Equal("old", await new StreamReader(got!.Stream).ReadToEndAsync());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, ".tmp")));
    }

    private sealed class FailingStream : MemoryStream
    {
        private int _reads;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_reads++ > 0)
            {
                throw new IOException("connection reset");
            }

            buffer.Span[0] = 1;
            return ValueTask.FromResult(1);
        }
    }
}
