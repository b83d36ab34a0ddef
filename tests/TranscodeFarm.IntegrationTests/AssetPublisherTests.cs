using TranscodeFarm.Core.Assets;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.IntegrationTests.Infrastructure;
using TranscodeFarm.Storage;
using TranscodeFarm.Worker.Pipeline;

namespace TranscodeFarm.IntegrationTests;

/// <summary>The publisher's loop over an in-memory store: what goes up where, inspection, back-pressure and clean-up.</summary>
public sealed class AssetPublisherTests
{
    private readonly MemoryObjectStore _store = new();

    private static PackagedObject Segment(int number, int size = 100) =>
        new($"seg-0-{number:00000}.m4s", PackagedKind.Segment, new byte[size]) { SegmentNumber = number };

    [Fact]
    public async Task Pushed_objects_go_up_under_the_generation_with_their_own_type_and_lifetime()
    {
        var publisher = new AssetPublisher(_store, "a1", generation: 7, concurrency: 2, PackagedObjectInspection.None);
        var loop = publisher.UploadWhileEncodingAsync(default);
        await publisher.Sink.WriteAsync(new PackagedObject("init-0.mp4", PackagedKind.Init, new byte[10]), default);
        await publisher.Sink.WriteAsync(Segment(1), default);
        publisher.EndOfMedia();
        await loop;
        await publisher.UploadAsync([new PackagedObject("master.m3u8", PackagedKind.HlsMaster, "#EXTM3U\n"u8.ToArray())], default);

        Assert.Equal(["a1/g7/init-0.mp4", "a1/g7/master.m3u8", "a1/g7/seg-0-00001.m4s"], _store.Keys);
        Assert.Equal(MediaTypes.Segment, _store.Info("a1/g7/seg-0-00001.m4s").ContentType);
        Assert.Equal(MediaTypes.ImmutableCacheControl, _store.Info("a1/g7/seg-0-00001.m4s").CacheControl);
        Assert.Equal(MediaTypes.ManifestCacheControl, _store.Info("a1/g7/master.m3u8").CacheControl);
        Assert.Equal((3, 118L), (publisher.Objects, publisher.Bytes));
        Assert.True(publisher.HasUploaded("seg-0-00001.m4s"));
    }

    [Fact]
    public async Task An_inspection_refusal_stops_the_loop_and_the_discard_removes_only_this_attempts_objects()
    {
        await _store.PutAsync("a1/g6/seg-0-00001.m4s", new MemoryStream([1]), new ObjectProperties(MediaTypes.Segment, MediaTypes.ImmutableCacheControl), default);
        var inspection = new PackagedObjectInspection((o, _) => ValueTask.FromResult(o.SegmentNumber == 2 ? "segment 2 is broken" : null));
        var publisher = new AssetPublisher(_store, "a1", generation: 7, concurrency: 1, inspection);
        var loop = publisher.UploadWhileEncodingAsync(default);
        await publisher.Sink.WriteAsync(Segment(1), default);
        await publisher.Sink.WriteAsync(Segment(2), default);

        var refused = await Assert.ThrowsAsync<PackagedObjectRejectedException>(() => loop);
        Assert.Equal("segment 2 is broken", refused.Message);
        // The packager is not left waiting on a channel nobody reads.
        await Assert.ThrowsAnyAsync<Exception>(async () => await publisher.Sink.WriteAsync(Segment(3), default));
        Assert.Contains("a1/g7/seg-0-00001.m4s", _store.Keys);

        await publisher.DiscardAsync();
        Assert.Equal(["a1/g6/seg-0-00001.m4s"], _store.Keys); // the earlier generation is not this attempt's
    }

    [Fact]
    public async Task A_slow_store_holds_the_packager_back_once_the_channel_is_full()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _store.BeforePut = (_, ct) => release.Task.WaitAsync(ct);
        var publisher = new AssetPublisher(_store, "a1", generation: 1, concurrency: 1, PackagedObjectInspection.None);
        var loop = publisher.UploadWhileEncodingAsync(default);
        var written = 0;
        var packager = Task.Run(async () =>
        {
            for (var n = 1; n <= 20; n++)
            {
                await publisher.Sink.WriteAsync(Segment(n), default);
                Interlocked.Increment(ref written);
            }
        });

        await Task.Delay(300);
        Assert.False(packager.IsCompleted);
        Assert.InRange(Volatile.Read(ref written), 4, 6); // the channel (4 per upload slot) plus the one being uploaded
        release.SetResult();
        await packager;
        publisher.EndOfMedia();
        await loop;
        Assert.Equal(20, publisher.Objects);
    }

    [Fact]
    public async Task An_approved_generation_is_never_discarded()
    {
        var publisher = new AssetPublisher(_store, "a1", generation: 2, concurrency: 1, PackagedObjectInspection.None);
        await publisher.UploadAsync([Segment(1)], default);
        publisher.Approved();
        await publisher.DiscardAsync();
        Assert.Equal(["a1/g2/seg-0-00001.m4s"], _store.Keys);
    }
}
