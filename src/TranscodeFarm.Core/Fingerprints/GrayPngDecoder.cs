using System.Buffers.Binary;
using System.IO.Compression;

namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// Decodes the one kind of PNG the ladder encode emits for fingerprints (ffmpeg's png encoder on <c>format=gray</c>):
/// 8-bit grayscale, not interlaced. Anything else is refused with a reason rather than guessed at, so a change on
/// ffmpeg's side shows up as a clear error and not as wrong hashes. Pure: bytes in, pixels out.
/// </summary>
public static class GrayPngDecoder
{
    /// <summary>Frames are hashed up to this size, so nothing larger is ever expected (and memory stays bounded).</summary>
    public const int MaxDimension = FrameHash.MaxDimension;

    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private const uint Ihdr = 0x49484452, Idat = 0x49444154, Iend = 0x49454E44;

    /// <exception cref="FormatException">Not a PNG, damaged, or not 8-bit grayscale non-interlaced.</exception>
    public static LumaFrame Decode(ReadOnlySpan<byte> png)
    {
        if (png.Length < Signature.Length || !png[..Signature.Length].SequenceEqual(Signature))
        {
            throw new FormatException("not a PNG: the 8-byte signature is missing");
        }

        var pos = Signature.Length;
        (int Width, int Height)? header = null;
        using var compressed = new MemoryStream();
        var idatSeen = false;
        var idatEnded = false;
        while (true)
        {
            if (pos + 12 > png.Length)
            {
                throw new FormatException($"PNG ends inside a chunk header at byte {pos} (no IEND)");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(png[pos..]);
            var type = BinaryPrimitives.ReadUInt32BigEndian(png[(pos + 4)..]);
            if (length > int.MaxValue || pos + 12 + (long)length > png.Length)
            {
                throw new FormatException($"PNG chunk '{Name(type)}' at byte {pos} claims {length} bytes, more than the file has");
            }

            var data = png.Slice(pos + 8, (int)length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png[(pos + 8 + (int)length)..]);
            if (Crc32(png.Slice(pos + 4, 4 + (int)length)) != crc)
            {
                throw new FormatException($"PNG chunk '{Name(type)}' at byte {pos} fails its CRC: the data is damaged");
            }

            pos += 12 + (int)length;
            if (header is null && type != Ihdr)
            {
                throw new FormatException($"PNG starts with chunk '{Name(type)}', not IHDR");
            }

            if (type == Ihdr)
            {
                header = header is null ? ReadHeader(data) : throw new FormatException("PNG has two IHDR chunks");
            }
            else if (type == Idat)
            {
                if (idatEnded)
                {
                    throw new FormatException("PNG's IDAT chunks are not consecutive");
                }

                idatSeen = true;
                compressed.Write(data);
            }
            else if (type == Iend)
            {
                break;
            }
            else if (IsCritical(type))
            {
                // PLTE and anything newer: a grayscale image has no use for them, and skipping one could mis-decode.
                throw new FormatException($"PNG has critical chunk '{Name(type)}', which an 8-bit grayscale image does not use");
            }
            else
            {
                idatEnded |= idatSeen; // ancillary chunks are skipped; they only may not split the image data
            }
        }

        if (!idatSeen)
        {
            throw new FormatException("PNG has no IDAT chunk: there is no image data");
        }

        var (width, height) = header!.Value;
        compressed.Position = 0;
        return new LumaFrame(width, height, Unfilter(Inflate(compressed, width, height), width, height));
    }

    private static (int Width, int Height) ReadHeader(ReadOnlySpan<byte> ihdr)
    {
        if (ihdr.Length != 13)
        {
            throw new FormatException($"PNG's IHDR is {ihdr.Length} bytes, not 13");
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(ihdr);
        var height = BinaryPrimitives.ReadUInt32BigEndian(ihdr[4..]);
        if (width is 0 or > MaxDimension || height is 0 or > MaxDimension)
        {
            throw new FormatException($"PNG is {width}x{height}; 1 to {MaxDimension} pixels a side are supported");
        }

        var (depth, color, compression, filter, interlace) = (ihdr[8], ihdr[9], ihdr[10], ihdr[11], ihdr[12]);
        if (color != 0 || depth != 8)
        {
            throw new FormatException($"PNG has color type {color} at {depth} bits; only 8-bit grayscale (type 0) is supported");
        }

        if (compression != 0 || filter != 0)
        {
            throw new FormatException($"PNG uses compression method {compression} / filter method {filter}; only 0 / 0 exist");
        }

        if (interlace != 0)
        {
            throw new FormatException($"PNG is interlaced (method {interlace}); only non-interlaced images are supported");
        }

        return ((int)width, (int)height);
    }

    /// <summary>The zlib stream of all IDATs: exactly one filter byte plus one row of pixels per line, nothing more.</summary>
    private static byte[] Inflate(Stream compressed, int width, int height)
    {
        var filtered = new byte[height * (width + 1)];
        try
        {
            using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
            var read = zlib.ReadAtLeast(filtered, filtered.Length, throwOnEndOfStream: false);
            if (read < filtered.Length)
            {
                throw new FormatException($"PNG's image data inflates to {read} bytes; a {width}x{height} image needs {filtered.Length}");
            }

            if (zlib.ReadByte() >= 0)
            {
                throw new FormatException($"PNG's image data inflates to more than the {filtered.Length} bytes a {width}x{height} image needs");
            }
        }
        catch (InvalidDataException e)
        {
            throw new FormatException("PNG's image data is not a valid zlib stream: " + e.Message, e);
        }

        return filtered;
    }

    /// <summary>Undoes the per-line filters (PNG §9.2). One byte per pixel, so "the pixel to the left" is the byte before.</summary>
    private static byte[] Unfilter(byte[] filtered, int width, int height)
    {
        var pixels = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            var filter = filtered[y * (width + 1)];
            var line = filtered.AsSpan((y * (width + 1)) + 1, width);
            var row = pixels.AsSpan(y * width, width);
            ReadOnlySpan<byte> up = y == 0 ? new byte[width] : pixels.AsSpan((y - 1) * width, width);
            for (var x = 0; x < width; x++)
            {
                int left = x == 0 ? 0 : row[x - 1], above = up[x], upperLeft = x == 0 ? 0 : up[x - 1];
                var predictor = filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => above,
                    3 => (left + above) / 2,
                    4 => Paeth(left, above, upperLeft),
                    _ => throw new FormatException($"PNG line {y} has filter type {filter}; only 0 to 4 exist"),
                };
                row[x] = (byte)(line[x] + predictor);
            }
        }

        return pixels;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>Bit 5 of the first type byte clear: a decoder must understand the chunk to show the image.</summary>
    private static bool IsCritical(uint type) => (type & 0x2000_0000) == 0;

    private static string Name(uint type) => Packaging.FourCc.ToString(type);

    private static readonly uint[] CrcTable = MakeCrcTable();

    /// <summary>The CRC-32 every PNG chunk carries (ISO 3309, reflected polynomial 0xEDB88320).</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFF_FFFFu;
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFF_FFFFu;
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB8_8320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
