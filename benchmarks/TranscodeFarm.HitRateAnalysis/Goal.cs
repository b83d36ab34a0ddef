using System.Globalization;

namespace TranscodeFarm.HitRateAnalysis;

/// <summary>
/// Issue 15's goal for each policy against LRU: byte hit ratio ≥ LRU + 5 points at 10% of the catalog and α = 0.9,
/// and never below LRU in any cell. A benchmark, not a test: it prints the verdicts and exits 0.
/// </summary>
internal static class Goal
{
    public static void Report(Dictionary<(double Alpha, double Share, string Policy), HitRatios> results, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        foreach (var policy in results.Keys.Select(k => k.Policy).Distinct().Where(p => p != "LRU"))
        {
            var target = results[(0.9, 0.10, policy)].Bytes - results[(0.9, 0.10, "LRU")].Bytes;
            var worst = results.Keys.Where(k => k.Policy == policy)
                .Select(k => (k.Alpha, k.Share, Delta: results[k].Bytes - results[(k.Alpha, k.Share, "LRU")].Bytes))
                .MinBy(c => c.Delta);
            var met = target >= 0.05 && worst.Delta >= 0;
            output.WriteLine(string.Create(inv,
                $"{policy}: byte hit ratio {Math.Round(target * 100, 1):+0.0;-0.0;0.0} points vs LRU at 10%, α 0.9 (goal ≥ +5.0); worst cell {Math.Round(worst.Delta * 100, 1):+0.0;-0.0;0.0} at α {worst.Alpha}, {worst.Share:P0} (goal ≥ 0) → {(met ? "GOAL MET" : "GOAL MISSED")}"));
        }
    }
}
