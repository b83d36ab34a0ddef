namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// The 16×16 lowest-frequency block of the 2D DCT-II of a 64×64 image, as C = D·X·Dᵀ with a precomputed 16×64 cosine
/// table: about 80k multiply-adds instead of a full transform. Normalisation is left out because the hash only compares
/// coefficients with their median.
/// </summary>
internal static class LowFrequencyDct
{
    public const int ImageSize = 64;
    public const int BlockSize = 16;

    private static readonly float[] Cosines = BuildCosines();

    /// <returns>Coefficient (u, v) at index u·16 + v: u is the vertical frequency, v the horizontal one.</returns>
    public static float[] Transform(ReadOnlySpan<float> image)
    {
        if (image.Length != ImageSize * ImageSize)
        {
            throw new ArgumentException($"need a {ImageSize}x{ImageSize} image", nameof(image));
        }

        // rows[y, v] = Σx image[y, x]·D[v, x]
        var rows = new float[ImageSize * BlockSize];
        for (var y = 0; y < ImageSize; y++)
        {
            var line = image.Slice(y * ImageSize, ImageSize);
            for (var v = 0; v < BlockSize; v++)
            {
                rows[(y * BlockSize) + v] = Dot(line, Cosines.AsSpan(v * ImageSize, ImageSize));
            }
        }

        // block[u, v] = Σy D[u, y]·rows[y, v]
        var block = new float[BlockSize * BlockSize];
        for (var u = 0; u < BlockSize; u++)
        {
            var basis = Cosines.AsSpan(u * ImageSize, ImageSize);
            for (var y = 0; y < ImageSize; y++)
            {
                var weight = basis[y];
                var row = rows.AsSpan(y * BlockSize, BlockSize);
                var target = block.AsSpan(u * BlockSize, BlockSize);
                for (var v = 0; v < BlockSize; v++)
                {
                    target[v] += weight * row[v];
                }
            }
        }

        return block;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static float[] BuildCosines()
    {
        var table = new float[BlockSize * ImageSize];
        for (var k = 0; k < BlockSize; k++)
        {
            for (var n = 0; n < ImageSize; n++)
            {
                table[(k * ImageSize) + n] = (float)Math.Cos(Math.PI * ((2 * n) + 1) * k / (2.0 * ImageSize));
            }
        }

        return table;
    }
}
