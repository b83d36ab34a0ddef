namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// A PDQ-like perceptual hash of one grayscale frame: trim letterbox bars, area-resample to 64×64, fade the borders
/// (<see cref="CenterWindow"/>), take the 16×16 lowest DCT frequencies and set each bit where the coefficient is above
/// their median. Low frequencies survive
/// re-encoding, scaling and small crops; the median threshold makes the bits independent of brightness (DC only) and
/// contrast (scales every coefficient). Also returns the hash of the left-right mirror image and the hash of the zoomed
/// centre (<see cref="CentreFraction"/>), which indexed frames carry so centre-cropped copies find them (issue 17).
/// Deterministic and thread-safe.
/// </summary>
public static class FrameHash
{
    /// <summary>Large enough for any extractor size we would use; bounds the work per frame.</summary>
    public const int MaxDimension = 4096;

    /// <summary>
    /// Mean absolute neighbour difference (0–255 luma, on the 64×64 image) that earns quality 100. PDQ reaches full
    /// quality at about the same gradient; a textured scene sits well above, a fade or title card background below.
    /// </summary>
    internal const double FullQualityGradient = 3.0;

    /// <summary>
    /// The centre hash's share of each dimension: the central 81% of the area, what a copy cropped by 10% (5% off each
    /// side, the usual "zoom to remove the logo" edit) keeps. Measured on the evaluation corpus (issue 17, decision 012).
    /// </summary>
    public const double CentreFraction = 0.9;

    public static FrameHashResult Compute(ReadOnlySpan<byte> luma, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxDimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxDimension);
        if (luma.Length != width * height)
        {
            throw new ArgumentException($"a {width}x{height} luma frame is {width * height} bytes, got {luma.Length}", nameof(luma));
        }

        var box = ContentBox.Find(luma, width, height);
        var image = AreaResampler.Resample(luma, width, box, LowFrequencyDct.ImageSize);
        var quality = Quality(image);
        var centre = CentreZoom.Apply(image, LowFrequencyDct.ImageSize, CentreFraction);
        CenterWindow.Apply(image);
        var coefficients = LowFrequencyDct.Transform(image);
        var hash = Threshold(coefficients);
        Mirror(coefficients);
        var mirrored = Threshold(coefficients);
        CenterWindow.Apply(centre);
        return new FrameHashResult(hash, quality) { Mirrored = mirrored, Centre = Threshold(LowFrequencyDct.Transform(centre)) };
    }

    /// <summary>
    /// Turns the coefficients into those of the left-right mirrored image: DCT-II basis k is even about the centre for
    /// even k and odd for odd k, so mirroring negates every odd horizontal frequency. The steps before the DCT (bar
    /// trimming, area resampling, the centre window) are symmetric, so this equals hashing the mirrored frame, for 256
    /// sign flips instead of a second pass (issue 17).
    /// </summary>
    internal static void Mirror(float[] coefficients)
    {
        const int size = LowFrequencyDct.BlockSize;
        for (var u = 0; u < size; u++)
        {
            for (var v = 1; v < size; v += 2)
            {
                coefficients[(u * size) + v] = -coefficients[(u * size) + v];
            }
        }
    }

    /// <summary>
    /// Bit k = coefficient k above the median of all 256. The DC coefficient is kept (as in PDQ): it is almost always
    /// the largest, so its bit is a constant 1 that costs nothing in distances.
    /// </summary>
    private static Hash256 Threshold(float[] coefficients)
    {
        var sorted = (float[])coefficients.Clone();
        Array.Sort(sorted);
        var median = (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        Span<bool> bits = stackalloc bool[Hash256.Bits];
        for (var k = 0; k < Hash256.Bits; k++)
        {
            bits[k] = coefficients[k] > median;
        }

        return Hash256.FromBits(bits);
    }

    private static int Quality(float[] image)
    {
        const int size = LowFrequencyDct.ImageSize;
        double sum = 0;
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var here = image[(y * size) + x];
                if (x + 1 < size)
                {
                    sum += Math.Abs(image[(y * size) + x + 1] - here);
                }

                if (y + 1 < size)
                {
                    sum += Math.Abs(image[((y + 1) * size) + x] - here);
                }
            }
        }

        var meanGradient = sum / (2 * size * (size - 1));
        return (int)Math.Round(Math.Clamp(100 * meanGradient / FullQualityGradient, 0, 100));
    }
}
