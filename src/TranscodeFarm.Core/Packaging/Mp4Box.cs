using System.Buffers;
using System.Buffers.Binary;

namespace TranscodeFarm.Core.Packaging;

/// <summary>
/// One ISO-BMFF box: its type, the bytes between its header and its children (all of its payload for a leaf),
/// and its children for a container. Writing a parsed tree back gives the same bytes, so init segments are
/// rebuilt from ffmpeg's boxes with only the fields that must change.
/// </summary>
public sealed class Mp4Box(uint type, byte[] body, List<Mp4Box>? children = null)
{
    public uint Type { get; } = type;

    /// <summary>Leaf: the payload. Container: the fixed fields before the first child (empty for most).</summary>
    public byte[] Body { get; set; } = body;

    public List<Mp4Box>? Children { get; } = children;

    /// <summary>The original used a 64-bit size field; kept so a round trip is byte-identical.</summary>
    public bool LargeSize { get; init; }

    public string Name => FourCc.ToString(Type);

    public long Size => HeaderSize + Body.Length + (Children?.Sum(c => c.Size) ?? 0);

    private int HeaderSize => LargeSize ? 16 : 8;

    public Mp4Box? Child(uint type) => Children?.FirstOrDefault(c => c.Type == type);

    public IEnumerable<Mp4Box> ChildrenOf(uint type) => Children?.Where(c => c.Type == type) ?? [];

    /// <summary>Follows a path of child types, e.g. mdia → minf → stbl → stsd.</summary>
    public Mp4Box? Find(params ReadOnlySpan<uint> path)
    {
        var box = this;
        foreach (var type in path)
        {
            box = box.Child(type);
            if (box is null)
            {
                return null;
            }
        }

        return box;
    }

    public Mp4Box Clone() => new(Type, (byte[])Body.Clone(), Children?.Select(c => c.Clone()).ToList()) { LargeSize = LargeSize };

    public void WriteTo(IBufferWriter<byte> writer)
    {
        var size = Size;
        if (LargeSize || size > uint.MaxValue)
        {
            var header = writer.GetSpan(16);
            BinaryPrimitives.WriteUInt32BigEndian(header, 1);
            BinaryPrimitives.WriteUInt32BigEndian(header[4..], Type);
            BinaryPrimitives.WriteUInt64BigEndian(header[8..], (ulong)size);
            writer.Advance(16);
        }
        else
        {
            var header = writer.GetSpan(8);
            BinaryPrimitives.WriteUInt32BigEndian(header, (uint)size);
            BinaryPrimitives.WriteUInt32BigEndian(header[4..], Type);
            writer.Advance(8);
        }

        writer.Write(Body);
        foreach (var child in Children ?? [])
        {
            child.WriteTo(writer);
        }
    }

    public byte[] ToArray()
    {
        var writer = new ArrayBufferWriter<byte>((int)Math.Min(Size, int.MaxValue));
        WriteTo(writer);
        return writer.WrittenSpan.ToArray();
    }

    public override string ToString() => $"{Name} ({Size} bytes)";
}
