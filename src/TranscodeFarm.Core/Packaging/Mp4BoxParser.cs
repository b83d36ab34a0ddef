using System.Buffers.Binary;

namespace TranscodeFarm.Core.Packaging;

/// <summary>
/// Parses a box tree from bytes. Built for hostile input: every size is checked against what is left, nesting
/// and box counts are bounded, and nothing is allocated beyond the input's own size.
/// </summary>
public static class Mp4BoxParser
{
    private const int MaxDepth = 16;
    private const int MaxBoxes = 100_000;

    /// <summary>Boxes whose payload is made of child boxes, with the number of fixed bytes before the first child.</summary>
    private static readonly Dictionary<uint, int> Containers = new()
    {
        [FourCc.Moov] = 0, [FourCc.Trak] = 0, [FourCc.Mdia] = 0, [FourCc.Minf] = 0, [FourCc.Stbl] = 0, [FourCc.Dinf] = 0,
        [FourCc.Edts] = 0, [FourCc.Mvex] = 0, [FourCc.Moof] = 0, [FourCc.Traf] = 0, [FourCc.Sinf] = 0, [FourCc.Schi] = 0,
        [FourCc.Stsd] = 8, // version/flags + entry_count
    };

    private static readonly HashSet<uint> VisualSampleEntries = [FourCc.Avc1, FourCc.Avc3, FourCc.Hvc1, FourCc.Hev1, FourCc.Encv, FourCc.Of("av01"), FourCc.Of("vp09"), FourCc.Mp4v, FourCc.Png];
    private static readonly HashSet<uint> AudioSampleEntries = [FourCc.Mp4a, FourCc.Enca, FourCc.Of("ac-3"), FourCc.Of("ec-3"), FourCc.Of("Opus"), FourCc.Of("fLaC")];

    public static List<Mp4Box> Parse(ReadOnlySpan<byte> data)
    {
        var count = 0;
        return ParseLevel(data, 0, 0, ref count);
    }

    public static Mp4Box ParseSingle(ReadOnlySpan<byte> data)
    {
        var boxes = Parse(data);
        return boxes.Count == 1 ? boxes[0] : throw new Mp4FormatException($"expected one box, found {boxes.Count}");
    }

    /// <summary>Reads a box header: (header length, total size) or an error for a size that cannot be right.</summary>
    public static (int HeaderLength, long Size, uint Type) ReadHeader(ReadOnlySpan<byte> data, long available)
    {
        if (data.Length < 8)
        {
            throw new Mp4FormatException("truncated box header");
        }

        long size = BinaryPrimitives.ReadUInt32BigEndian(data);
        var type = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        var header = 8;
        if (size == 1)
        {
            if (data.Length < 16)
            {
                throw new Mp4FormatException($"truncated 64-bit size of box '{FourCc.ToString(type)}'");
            }

            var large = BinaryPrimitives.ReadUInt64BigEndian(data[8..]);
            size = large > long.MaxValue ? long.MaxValue : (long)large;
            header = 16;
        }
        else if (size == 0)
        {
            size = available; // "extends to the end": only meaningful for the last top-level box
        }

        if (size < header)
        {
            throw new Mp4FormatException($"box '{FourCc.ToString(type)}' declares {size} bytes, less than its own header");
        }

        if (size > available)
        {
            throw new Mp4FormatException($"box '{FourCc.ToString(type)}' declares {size} bytes but only {available} remain");
        }

        return (header, size, type);
    }

    private static List<Mp4Box> ParseLevel(ReadOnlySpan<byte> data, int depth, int offsetForErrors, ref int count)
    {
        if (depth > MaxDepth)
        {
            throw new Mp4FormatException($"boxes nested deeper than {MaxDepth} levels at byte {offsetForErrors}");
        }

        var boxes = new List<Mp4Box>();
        var pos = 0;
        while (pos < data.Length)
        {
            if (++count > MaxBoxes)
            {
                throw new Mp4FormatException($"more than {MaxBoxes} boxes");
            }

            var (header, size, type) = ReadHeader(data[pos..], data.Length - pos);
            var payload = data.Slice(pos + header, (int)size - header);
            boxes.Add(ParseBox(type, payload, header == 16, depth, offsetForErrors + pos, ref count));
            pos += (int)size;
        }

        return boxes;
    }

    private static Mp4Box ParseBox(uint type, ReadOnlySpan<byte> payload, bool large, int depth, int offset, ref int count)
    {
        var prefix = PrefixLength(type, payload);
        if (prefix is { } n && n <= payload.Length)
        {
            var children = ParseLevel(payload[n..], depth + 1, offset + n, ref count);
            return new Mp4Box(type, payload[..n].ToArray(), children) { LargeSize = large };
        }

        return new Mp4Box(type, payload.ToArray()) { LargeSize = large };
    }

    private static int? PrefixLength(uint type, ReadOnlySpan<byte> payload)
    {
        if (Containers.TryGetValue(type, out var n))
        {
            return n;
        }

        if (VisualSampleEntries.Contains(type))
        {
            return 78;
        }

        if (AudioSampleEntries.Contains(type) && payload.Length >= 28)
        {
            // QuickTime sound sample description versions 1 and 2 carry extra fixed fields.
            return BinaryPrimitives.ReadUInt16BigEndian(payload[8..]) switch { 1 => 44, 2 => 64, _ => 28 };
        }

        return null;
    }
}
