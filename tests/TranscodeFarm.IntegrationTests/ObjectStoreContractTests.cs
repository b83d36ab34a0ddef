using System.Security.Cryptography;
using System.Text;
using TranscodeFarm.Storage;

namespace TranscodeFarm.IntegrationTests;

/// <summary>What every <see cref="IObjectStore"/> must do; runs against the filesystem store and a real Ceph RGW.</summary>
public abstract class ObjectStoreContractTests
{
    protected static readonly ObjectProperties Segment = new("video/iso.segment", "public, max-age=31536000, immutable");

    protected abstract IObjectStore Store { get; }

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
    public async Task A_probe_answers_on_an_empty_store_and_on_a_filled_one()
    {
        await Store.ProbeAsync(default);
        await Store.PutAsync("p1/seg-0-00001.m4s", new MemoryStream(new byte[100]), Segment, default);
        await Store.ProbeAsync(default);
    }

    [Fact]
    public async Task Copy_keeps_bytes_and_properties_and_refuses_a_replaced_source()
    {
        var data = RandomNumberGenerator.GetBytes(100_000);
        var put = await Store.PutAsync("c1/source.mp4", new MemoryStream(data), Segment, default);
        var copy = await Store.CopyAsync("c1/source.mp4", "c2/copy.mp4", put.ETag, default);
        Assert.Equal((100_000L, "video/iso.segment"), (copy!.Length, copy.ContentType));
        await using (var got = await Store.GetAsync("c2/copy.mp4", null, default))
        {
            var buffer = new MemoryStream();
            await got!.Stream.CopyToAsync(buffer);
            Assert.Equal(data, buffer.ToArray());
        }

        Assert.Null(await Store.CopyAsync("c1/source.mp4", "c2/other.mp4", "\"0123456789abcdef0123456789abcdef\"", default));
        Assert.Null(await Store.HeadAsync("c2/other.mp4", default));
        Assert.Null(await Store.CopyAsync("c1/none.mp4", "c2/none.mp4", null, default));
        Assert.Equal(["c2/copy.mp4"], await ToListAsync(Store.ListChildrenAsync("c2/", default)));
    }

    private static async Task<List<string>> ToListAsync(IAsyncEnumerable<ObjectInfo> objects)
    {
        var keys = new List<string>();
        await foreach (var o in objects)
        {
            keys.Add(o.Key);
        }

        return keys;
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
    }

    [Fact]
    public async Task A_failed_write_leaves_the_old_object_intact()
    {
        await Store.PutAsync("a/m.m3u8", new MemoryStream(Encoding.ASCII.GetBytes("old")), Segment, default);
        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync("a/m.m3u8", new FailingStream(), Segment, default));
        await using var got = await Store.GetAsync("a/m.m3u8", null, default);
        Assert.Equal("old", await new StreamReader(got!.Stream).ReadToEndAsync());
    }

    [Fact]
    public async Task Properties_round_trip_through_head_and_get()
    {
        await Store.PutAsync("p/master.m3u8", new MemoryStream("#EXTM3U\n"u8.ToArray()), new ObjectProperties("application/vnd.apple.mpegurl", "public, max-age=10"), default);
        var head = await Store.HeadAsync("p/master.m3u8", default);
        Assert.Equal(("application/vnd.apple.mpegurl", "public, max-age=10", 8L), (head!.ContentType, head.CacheControl, head.Length));
        await using var got = await Store.GetAsync("p/master.m3u8", null, default);
        Assert.Equal("public, max-age=10", got!.Info.CacheControl);
    }

    /// <summary>Not seekable, fails on its second read: an upload interrupted mid-body.</summary>
    private sealed class FailingStream : MemoryStream
    {
        private int _reads;

        public override bool CanSeek => false;

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

public sealed class FileSystemObjectStoreTests : ObjectStoreContractTests
{
    private readonly string _root = Directory.CreateTempSubdirectory("tf-store-").FullName;

    protected override IObjectStore Store => new FileSystemObjectStore(_root, TimeProvider.System);

    [Fact]
    public async Task Failed_writes_leave_no_temp_files_and_nothing_escapes_the_root()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync("../outside", new MemoryStream([1]), Segment, default));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_root)!, "outside")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, ".tmp")));
    }
}
