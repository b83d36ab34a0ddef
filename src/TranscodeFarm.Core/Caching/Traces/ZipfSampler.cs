namespace TranscodeFarm.Core.Caching.Traces;

/// <summary>Draws ranks 0..n-1 with probability proportional to 1/(rank+1)^alpha, by binary search of the CDF.</summary>
internal sealed class ZipfSampler
{
    private readonly double[] _cumulative;

    public ZipfSampler(int n, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        _cumulative = new double[n];
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            sum += 1 / Math.Pow(i + 1, alpha);
            _cumulative[i] = sum;
        }
    }

    public int Next(ref SplitMix64 random)
    {
        var at = Array.BinarySearch(_cumulative, random.NextDouble() * _cumulative[^1]);
        return Math.Min(at < 0 ? ~at : at, _cumulative.Length - 1);
    }
}
