using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace TranscodeFarm.Core.Tests.Fingerprints;

/// <summary>
/// Builds PNG files by hand for the decoder's tests: chosen filter types per line, chosen chunk layout, and ways to
/// break them. Deliberately written from the PNG specification separately from the decoder, CRC included.
/// </summary>
internal static class PngWriter
{
    public static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>A complete grayscale PNG; line y uses filter <c>filters[y % filters.Length]</c>.</summary>
    public static byte[] Gray(int width, int height, byte[] pixels, byte[] filters, int idatChunks = 1, byte depth = 8, byte colorType = 0, byte interlace = 0)
    {
        var compressed = Deflate(Filter(width, height, pixels, filters));
        var chunks = new List<byte[]> { Chunk("IHDR", Header(width, height, depth, colorType, interlace)) };
        var per = (compressed.Length + idatChunks - 1) / idatChunks;
        for (var i = 0; i < compressed.Length; i += per)
        {
            chunks.Add(Chunk("IDAT", compressed.AsSpan(i, Math.Min(per, compressed.Length - i)).ToArray()));
        }

        chunks.Add(Chunk("IEND", []));
        return Assemble(chunks);
    }

    public static byte[] Assemble(IEnumerable<byte[]> chunks) => [.. Signature, .. chunks.SelectMany(c => c)];

    public static byte[] Header(int width, int height, byte depth = 8, byte colorType = 0, byte interlace = 0)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = depth;
        ihdr[9] = colorType;
        ihdr[12] = interlace;
        return ihdr;
    }

    public static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    public static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>Each line as the encoder side of PNG §9.2 writes it: filter byte, then pixel minus predictor.</summary>
    public static byte[] Filter(int width, int height, byte[] pixels, byte[] filters)
    {
        var output = new byte[height * (width + 1)];
        for (var y = 0; y < height; y++)
        {
            var filter = filters[y % filters.Length];
            output[y * (width + 1)] = filter;
            for (var x = 0; x < width; x++)
            {
                int a = x > 0 ? pixels[(y * width) + x - 1] : 0;
                int b = y > 0 ? pixels[((y - 1) * width) + x] : 0;
                int c = x > 0 && y > 0 ? pixels[((y - 1) * width) + x - 1] : 0;
                var predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) >> 1,
                    4 => Paeth(a, b, c),
                    _ => 0,
                };
                output[(y * (width + 1)) + 1 + x] = (byte)(pixels[(y * width) + x] - predictor);
            }
        }

        return output;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc)
        {
            return a;
        }

        return pb <= pc ? b : c;
    }

    /// <summary>Bitwise CRC-32 (no table), as the PNG specification's sample code computes it.</summary>
    private static uint Crc(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        foreach (var value in data)
        {
            crc ^= value;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
            }
        }

        return ~crc;
    }
}
