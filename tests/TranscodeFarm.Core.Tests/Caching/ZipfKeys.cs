namespace TranscodeFarm.Core.Tests.Caching;

/// <summary>Asset ids drawn like real VOD traffic: key i (1-based) with probability proportional to 1/i^s.</summary>
internal sealed class ZipfKeys
{
    private readonly double[] _cumulative;
    private readonly Random _random;

    public ZipfKeys(int keys, double s, int seed)
    {
        _cumulative = new double[keys];
        var sum = 0.0;
        for (var i = 0; i < keys; i++)
        {
            sum += 1 / Math.Pow(i + 1, s);
            _cumulative[i] = sum;
        }

        _random = new Random(seed);
    }

    public static string Name(int rank) => $"asset-{rank}";

    /// <summary>The rank (1 = most popular) of the next key.</summary>
    public int NextRank()
    {
        var at = Array.BinarySearch(_cumulative, _random.NextDouble() * _cumulative[^1]);
        return (at < 0 ? ~at : at) + 1;
    }
}
