namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// The part of a frame left after trimming letterbox / pillarbox bars: edge rows, then edge columns, whose mean luma
/// is near black. Judged by the mean rather than the maximum so burnt-in subtitles inside a bar do not stop the trim.
/// </summary>
internal readonly record struct ContentBox(int Left, int Top, int Width, int Height)
{
    /// <summary>
    /// Full-range black is 0 and limited-range (TV) black is 16; encoder noise and the blended row where ffmpeg's scaler
    /// meets the picture stay below this. Real content this dark is trimmed too, the same way in every copy.
    /// </summary>
    internal const double BarMeanLuma = 32;

    /// <summary>Keep at least half of each dimension: a mostly dark frame is a night scene or a fade, not a bar.</summary>
    private const double MinKeptFraction = 0.5;

    public static ContentBox Find(ReadOnlySpan<byte> luma, int width, int height)
    {
        var top = 0;
        var bottom = height; // exclusive
        while (top < bottom && RowMean(luma, width, top, 0, width) < BarMeanLuma)
        {
            top++;
        }

        while (bottom > top && RowMean(luma, width, bottom - 1, 0, width) < BarMeanLuma)
        {
            bottom--;
        }

        if (bottom - top < height * MinKeptFraction)
        {
            (top, bottom) = (0, height);
        }

        var left = 0;
        var right = width; // exclusive
        while (left < right && ColumnMean(luma, width, left, top, bottom) < BarMeanLuma)
        {
            left++;
        }

        while (right > left && ColumnMean(luma, width, right - 1, top, bottom) < BarMeanLuma)
        {
            right--;
        }

        if (right - left < width * MinKeptFraction)
        {
            (left, right) = (0, width);
        }

        return new ContentBox(left, top, right - left, bottom - top);
    }

    private static double RowMean(ReadOnlySpan<byte> luma, int width, int row, int from, int to)
    {
        long sum = 0;
        foreach (var value in luma.Slice((row * width) + from, to - from))
        {
            sum += value;
        }

        return (double)sum / (to - from);
    }

    private static double ColumnMean(ReadOnlySpan<byte> luma, int width, int column, int fromRow, int toRow)
    {
        long sum = 0;
        for (var row = fromRow; row < toRow; row++)
        {
            sum += luma[(row * width) + column];
        }

        return (double)sum / (toRow - fromRow);
    }
}
