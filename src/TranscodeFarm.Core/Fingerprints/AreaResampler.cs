namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// Resamples a luma rectangle to a square grid by area averaging: each output pixel is the coverage-weighted mean of
/// the source pixels under it. Downscaling this way is an anti-aliasing filter, so the hash does not depend on the
/// extractor's frame size; upscaling (small extracted frames, trimmed bars) degrades to nearest-pixel copies, which the
/// low-frequency DCT does not mind.
/// </summary>
internal static class AreaResampler
{
    public static float[] Resample(ReadOnlySpan<byte> luma, int stride, ContentBox box, int size)
    {
        var columnWeights = Weights(box.Width, size);
        var rowWeights = Weights(box.Height, size);

        // Horizontal pass: box.Height rows × size columns.
        var horizontal = new float[box.Height * size];
        for (var y = 0; y < box.Height; y++)
        {
            var row = luma.Slice(((box.Top + y) * stride) + box.Left, box.Width);
            for (var x = 0; x < size; x++)
            {
                horizontal[(y * size) + x] = columnWeights[x].Apply(row);
            }
        }

        var output = new float[size * size];
        var columnBuffer = new float[box.Height];
        for (var x = 0; x < size; x++)
        {
            for (var y = 0; y < box.Height; y++)
            {
                columnBuffer[y] = horizontal[(y * size) + x];
            }

            for (var y = 0; y < size; y++)
            {
                output[(y * size) + x] = rowWeights[y].Apply(columnBuffer);
            }
        }

        return output;
    }

    private static Footprint[] Weights(int sourceLength, int size)
    {
        var scale = (double)sourceLength / size;
        var footprints = new Footprint[size];
        for (var o = 0; o < size; o++)
        {
            var start = o * scale;
            var end = (o + 1) * scale;
            var first = (int)Math.Floor(start);
            var last = Math.Min(sourceLength - 1, (int)Math.Ceiling(end) - 1);
            var weights = new float[last - first + 1];
            for (var i = first; i <= last; i++)
            {
                var covered = Math.Min(end, i + 1) - Math.Max(start, i);
                weights[i - first] = (float)(covered / scale);
            }

            footprints[o] = new Footprint(first, weights);
        }

        return footprints;
    }

    private readonly record struct Footprint(int First, float[] Weights)
    {
        public float Apply(ReadOnlySpan<byte> source)
        {
            var sum = 0f;
            for (var i = 0; i < Weights.Length; i++)
            {
                sum += Weights[i] * source[First + i];
            }

            return sum;
        }

        public float Apply(ReadOnlySpan<float> source)
        {
            var sum = 0f;
            for (var i = 0; i < Weights.Length; i++)
            {
                sum += Weights[i] * source[First + i];
            }

            return sum;
        }
    }
}
