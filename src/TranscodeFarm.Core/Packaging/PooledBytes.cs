using System.Buffers;

namespace TranscodeFarm.Core.Packaging;

/// <summary>
/// A box's bytes as one contiguous block: the pipe's own memory when they already lie in one buffer segment, else one
/// copy into an array from <see cref="ArrayPool{T}.Shared"/>. Samples are slices of <see cref="Memory"/>: one copy per
/// fragment instead of one array per sample. Valid until <see cref="Dispose"/> (and, for the pipe's memory, until the
/// reader advances past the box).
/// </summary>
internal readonly struct PooledBytes : IDisposable
{
    private readonly byte[]? _rented;

    private PooledBytes(ReadOnlyMemory<byte> memory, byte[]? rented)
    {
        Memory = memory;
        _rented = rented;
    }

    public ReadOnlyMemory<byte> Memory { get; }

    /// <summary>True when the bytes were copied into a pooled array (they spanned several buffer segments).</summary>
    public bool IsCopy => _rented is not null;

    public static PooledBytes From(ReadOnlySequence<byte> bytes)
    {
        if (bytes.IsSingleSegment)
        {
            return new PooledBytes(bytes.First, null);
        }

        var length = checked((int)bytes.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        bytes.CopyTo(rented);
        return new PooledBytes(rented.AsMemory(0, length), rented);
    }

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
        }
    }
}
