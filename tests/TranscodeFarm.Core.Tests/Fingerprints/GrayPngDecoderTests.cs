using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

public class GrayPngDecoderTests
{
    /// <summary>Noise plus gradients: every filter's predictor matters, and sums wrap around 255.</summary>
    private static byte[] Picture(int width, int height, int seed = 7)
    {
        var random = new Random(seed);
        var pixels = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                pixels[(y * width) + x] = (byte)(((x * 7) + (y * 13) + random.Next(0, 60)) & 0xFF);
            }
        }

        return pixels;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Each_filter_type_decodes_to_the_original_pixels(byte filter)
    {
        var pixels = Picture(64, 64);
        var frame = GrayPngDecoder.Decode(PngWriter.Gray(64, 64, pixels, [filter]));
        Assert.Equal((64, 64), (frame.Width, frame.Height));
        Assert.Equal(pixels, frame.Pixels);
    }

    [Fact]
    public void Mixed_filters_split_image_data_and_ancillary_chunks_before_it_decode()
    {
        var pixels = Picture(37, 11, seed: 3); // odd sizes: no row or column is special by accident
        var png = PngWriter.Gray(37, 11, pixels, [4, 0, 3, 1, 2, 4, 2], idatChunks: 3);
        var frame = GrayPngDecoder.Decode(png);
        Assert.Equal(pixels, frame.Pixels);

        // A tEXt chunk between IHDR and the image data is skipped, as ancillary chunks are.
        var ihdrEnd = PngWriter.Signature.Length + 12 + 13;
        byte[] withText = [.. png[..ihdrEnd], .. PngWriter.Chunk("tEXt", "Software\0ffmpeg"u8.ToArray()), .. png[ihdrEnd..]];
        Assert.Equal(pixels, GrayPngDecoder.Decode(withText).Pixels);
    }

    [Fact]
    public void One_pixel_image_decodes()
    {
        Assert.Equal([200], GrayPngDecoder.Decode(PngWriter.Gray(1, 1, [200], [4])).Pixels);
    }

    public static TheoryData<string, byte[]> Broken()
    {
        var pixels = Picture(8, 8);
        var good = PngWriter.Gray(8, 8, pixels, [1]);
        var filtered = PngWriter.Filter(8, 8, pixels, [1]);
        var ihdr = PngWriter.Chunk("IHDR", PngWriter.Header(8, 8));
        var iend = PngWriter.Chunk("IEND", []);
        var badFilter = (byte[])filtered.Clone();
        badFilter[9 * 3] = 5;
        var damaged = (byte[])good.Clone();
        damaged[PngWriter.Signature.Length + 8 + 2] ^= 1; // a bit of IHDR's height
        return new TheoryData<string, byte[]>
        {
            { "signature", [.. "GIF89a"u8.ToArray(), .. good[6..]] },
            { "CRC", damaged },
            { "color type 2", PngWriter.Gray(8, 8, [.. pixels, .. pixels, .. pixels], [0], colorType: 2) },
            { "16 bits", PngWriter.Assemble([PngWriter.Chunk("IHDR", PngWriter.Header(8, 8, depth: 16)), PngWriter.Chunk("IDAT", PngWriter.Deflate(new byte[8 * 17])), iend]) },
            { "interlaced", PngWriter.Gray(8, 8, pixels, [0], interlace: 1) },
            { "filter type 5", PngWriter.Assemble([ihdr, PngWriter.Chunk("IDAT", PngWriter.Deflate(badFilter)), iend]) },
            { "inflates to 63 bytes", PngWriter.Assemble([ihdr, PngWriter.Chunk("IDAT", PngWriter.Deflate(filtered[..^9])), iend]) },
            { "inflates to more than", PngWriter.Assemble([ihdr, PngWriter.Chunk("IDAT", PngWriter.Deflate([.. filtered, 0])), iend]) },
            { "not a valid zlib stream", PngWriter.Assemble([ihdr, PngWriter.Chunk("IDAT", [1, 2, 3, 4, 5, 6]), iend]) },
            { "no IDAT", PngWriter.Assemble([ihdr, iend]) },
            { "no IEND", good[..^12] },
            { "not IHDR", PngWriter.Assemble([PngWriter.Chunk("IDAT", PngWriter.Deflate(filtered)), ihdr, iend]) },
            { "critical chunk 'PLTE'", PngWriter.Assemble([ihdr, PngWriter.Chunk("PLTE", [0, 0, 0]), PngWriter.Chunk("IDAT", PngWriter.Deflate(filtered)), iend]) },
            { "0x0", PngWriter.Assemble([PngWriter.Chunk("IHDR", PngWriter.Header(0, 0)), iend]) },
            { "more than the file has", good[..^20] },
        };
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public void Anything_else_is_refused_with_a_reason(string reason, byte[] png)
    {
        var error = Assert.Throws<FormatException>(() => GrayPngDecoder.Decode(png));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
