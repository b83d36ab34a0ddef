using System.Buffers;
using System.Buffers.Binary;

namespace TranscodeFarm.Core.Packaging;

/// <summary>Writes big-endian box fields into a growing buffer; <see cref="Begin"/>/<see cref="End"/> patch sizes.</summary>
public sealed class BoxBuilder(int capacity = 4096)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(capacity);
    private readonly Stack<int> _open = new();

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.WrittenMemory;

    /// <summary>Starts over, keeping the buffer: one builder per track serves every segment without new allocations.</summary>
    public void Reset()
    {
        _buffer.ResetWrittenCount();
        _open.Clear();
    }

    public BoxBuilder Begin(uint type)
    {
        _open.Push(_buffer.WrittenCount);
        U32(0).U32(type);
        return this;
    }

    public BoxBuilder BeginFull(uint type, byte version, uint flags) => Begin(type).U32(((uint)version << 24) | (flags & 0xFFFFFF));

    public BoxBuilder End()
    {
        var start = _open.Pop();
        var size = _buffer.WrittenCount - start;
        // ArrayBufferWriter exposes what was written only read-only; patching goes through the underlying array.
        BinaryPrimitives.WriteUInt32BigEndian(System.Runtime.InteropServices.MemoryMarshal.AsMemory(_buffer.WrittenMemory).Span[start..], (uint)size);
        return this;
    }

    public BoxBuilder U8(byte v)
    {
        _buffer.GetSpan(1)[0] = v;
        _buffer.Advance(1);
        return this;
    }

    public BoxBuilder U16(ushort v)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), v);
        _buffer.Advance(2);
        return this;
    }

    public BoxBuilder U32(uint v)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), v);
        _buffer.Advance(4);
        return this;
    }

    public BoxBuilder I32(int v) => U32(unchecked((uint)v));

    public BoxBuilder U64(ulong v)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.GetSpan(8), v);
        _buffer.Advance(8);
        return this;
    }

    public BoxBuilder Bytes(ReadOnlySpan<byte> v)
    {
        _buffer.Write(v);
        return this;
    }

    public BoxBuilder Box(Mp4Box box)
    {
        box.WriteTo(_buffer);
        return this;
    }

    /// <summary>Overwrites a 32-bit field written earlier (offsets known only once later boxes are sized).</summary>
    public void PatchU32(int offset, uint value) =>
        BinaryPrimitives.WriteUInt32BigEndian(System.Runtime.InteropServices.MemoryMarshal.AsMemory(_buffer.WrittenMemory).Span[offset..], value);

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
