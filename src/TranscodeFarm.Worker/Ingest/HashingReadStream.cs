using System.Security.Cryptography;

namespace TranscodeFarm.Worker.Ingest;

/// <summary>
/// Reads a seekable stream through, hashing (SHA-256) the bytes in the order they are read. Rewinding to the start (a
/// retried upload) starts the hash again; any other seek makes <see cref="Hash"/> refuse, since the bytes read would no
/// longer be the stream's.
/// </summary>
internal sealed class HashingReadStream(Stream inner) : Stream
{
    private IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _broken;

    /// <summary>Lowercase hex SHA-256 of everything read since the last rewind; read the stream to its end first.</summary>
    public string Hash() => _broken
        ? throw new InvalidOperationException("the stream was read out of order")
        : Convert.ToHexStringLower(_sha.GetCurrentHash());

    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        _sha.AppendData(buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        _sha.AppendData(buffer.Span[..read]);
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var before = inner.Position;
        var position = inner.Seek(offset, origin);
        if (position == 0)
        {
            _sha.Dispose();
            _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            _broken = false;
        }
        else if (position != before)
        {
            _broken = true;
        }

        return position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha.Dispose();
        }

        base.Dispose(disposing);
    }
}
