namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// Reads a stream and copies every byte read into another on the way: the packager consumes ffmpeg's stdout while the
/// quality gate's decoder gets the ladder exactly as ffmpeg wrote it (clear, every rendition), at the same time.
/// </summary>
internal sealed class TeeReadStream(Stream source, Stream copy) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await source.ReadAsync(buffer, cancellationToken);
        if (read > 0)
        {
            await copy.WriteAsync(buffer[..read], cancellationToken);
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = source.Read(buffer, offset, count);
        copy.Write(buffer, offset, read);
        return read;
    }

    public override void Flush() => copy.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
