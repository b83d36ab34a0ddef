namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// The centre of a square image enlarged back to the full size (bilinear: it only magnifies), as a copy cropped by
/// <c>1 − fraction</c> of each dimension (half a side) and scaled back would look. Hashing this view of an indexed frame
/// gives the hash a centre-cropped copy has of its whole frame (issue 17): the low-frequency DCT hash moves 32–64 bits
/// under a 10% crop, too far to match, while the zoomed centre lands within ~20 bits.
/// </summary>
internal static class CentreZoom
{
    public static float[] Apply(float[] image, int size, double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(image.Length, size * size);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(fraction, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        var scale = fraction;
        var origin = size * (1 - fraction) / 2;
        var output = new float[size * size];
        Span<int> low = stackalloc int[size];
        Span<float> weight = stackalloc float[size];
        for (var i = 0; i < size; i++)
        {
            // Centre of output pixel i in source coordinates, as a position between source pixel centres.
            var position = origin + ((i + 0.5) * scale) - 0.5;
            var floor = Math.Clamp((int)Math.Floor(position), 0, size - 2);
            low[i] = floor;
            weight[i] = (float)Math.Clamp(position - floor, 0, 1);
        }

        for (var y = 0; y < size; y++)
        {
            var y0 = low[y] * size;
            var y1 = y0 + size;
            var wy = weight[y];
            for (var x = 0; x < size; x++)
            {
                var x0 = low[x];
                var wx = weight[x];
                var top = image[y0 + x0] + ((image[y0 + x0 + 1] - image[y0 + x0]) * wx);
                var bottom = image[y1 + x0] + ((image[y1 + x0 + 1] - image[y1 + x0]) * wx);
                output[(y * size) + x] = top + ((bottom - top) * wy);
            }
        }

        return output;
    }
}
