using System.Buffers;
using System.Runtime.InteropServices;

namespace TranscodeFarm.Core.Packaging;

/// <summary>
/// A media segment's bytes in an array from <see cref="ArrayPool{T}.Shared"/>, handed on as
/// <see cref="PackagedObject.Bytes"/> (this manager's <see cref="MemoryManager{T}.Memory"/>). Why: a fresh array per
/// segment is megabytes on the large-object heap, and each few of them bring a gen-2 collection (timed in one harness
/// at more than the copies and the cipher together). The receiver owns the bytes as before; once
/// nothing reads them any more (written, uploaded) it may give the array back with <see cref="Release"/> for a later
/// segment to reuse. A receiver that never releases loses only the reuse: the GC collects the array as it would a
/// fresh one. Never release bytes that someone else may still read (say, in a sink that forwards the object on).
/// </summary>
public sealed class PooledSegmentMemory : MemoryManager<byte>
{
    private readonly int _length;
    private byte[]? _array;

    internal PooledSegmentMemory(int length)
    {
        _length = length;
        _array = ArrayPool<byte>.Shared.Rent(length);
    }

    /// <summary>Gives the array behind <paramref name="bytes"/> back to the pool; false if it is not pooled or already given back.</summary>
    public static bool Release(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetMemoryManager(bytes, out PooledSegmentMemory? owner) && owner.Return();

    public override Span<byte> GetSpan() => Array.AsSpan(0, _length);

    public override MemoryHandle Pin(int elementIndex = 0) => Array.AsMemory(elementIndex, _length - elementIndex).Pin();

    public override void Unpin()
    {
        // Pin hands out the array's own pinned handle, which its holder disposes.
    }

    /// <summary>Lets array-based writers (FileStream, sockets) use the array directly.</summary>
    protected override bool TryGetArray(out ArraySegment<byte> segment)
    {
        segment = new ArraySegment<byte>(Array, 0, _length);
        return true;
    }

    protected override void Dispose(bool disposing) => Return();

    private byte[] Array => _array ?? throw new ObjectDisposedException(nameof(PooledSegmentMemory), "the segment's bytes were released to the pool");

    private bool Return()
    {
        if (Interlocked.Exchange(ref _array, null) is not { } array)
        {
            return false;
        }

        ArrayPool<byte>.Shared.Return(array);
        return true;
    }
}
