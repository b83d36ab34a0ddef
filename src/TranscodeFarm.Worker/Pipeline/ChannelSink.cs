using System.Threading.Channels;
using TranscodeFarm.Core.Packaging;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// The packager's sink in the worker: a bounded channel to the attempt's publisher. When the store is slower than the
/// encode, the channel fills, the packager waits in <see cref="WriteAsync"/>, stops reading ffmpeg's stdout, and ffmpeg
/// blocks on its pipe: memory stays bounded by <paramref name="capacity"/> objects (a few segments per upload slot).
/// </summary>
internal sealed class ChannelSink(int capacity) : ISegmentSink
{
    private readonly Channel<PackagedObject> _channel = Channel.CreateBounded<PackagedObject>(new BoundedChannelOptions(capacity)
    {
        SingleWriter = true,
        SingleReader = false,
        FullMode = BoundedChannelFullMode.Wait,
    });

    public ChannelReader<PackagedObject> Reader => _channel.Reader;

    public ValueTask WriteAsync(PackagedObject packaged, CancellationToken cancellationToken) => _channel.Writer.WriteAsync(packaged, cancellationToken);

    /// <summary>No more objects: the publisher uploads what is queued, then its loop ends. With an error (the publisher
    /// failed), a packager waiting for room gets it at once instead of waiting on a channel nobody reads.</summary>
    public void Complete(Exception? error = null) => _channel.Writer.TryComplete(error);
}
