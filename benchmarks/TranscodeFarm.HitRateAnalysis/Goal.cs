using System.Globalization;

namespace TranscodeFarm.HitRateAnalysis;

/// <summary>
/// Issue 15's goal for each policy against LRU: byte hit ratio ≥ LRU + 5 points at 10% of the catalog and α = 0.9,
/// and never below LRU in any cell. A benchmark, not a test: it prints the verdicts and exits 0.
/// </summary>
internal static class Goal
{
    public static void Report(
        Dictionary<(double Alpha, double Share, string Policy), HitRatios> results,
        string measure,
        Func<HitRatios, double> byteHitRatio,
        TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        foreach (var policy in results.Keys.Select(k => k.Policy).Distinct().Where(p => p != "LRU"))
        {
            double Delta(double alpha, double share) =>
                byteHitRatio(results[(alpha, share, policy)]) - byteHitRatio(results[(alpha, share, "LRU")]);

            var target = Delta(0.9, 0.10);
            var worst = results.Keys.Where(k => k.Policy == policy)
                .Select(k => (k.Alpha, k.Share, Delta: Delta(k.Alpha, k.Share)))
                .MinBy(c => c.Delta);
            var met = target >= 0.05 && worst.Delta >= 0;
            output.WriteLine(string.Create(inv,
                $"{policy} ({measure}): byte hit ratio {Points(target)} points vs LRU at 10%, α 0.9 (goal ≥ +5.0); worst cell {Points(worst.Delta)} at α {worst.Alpha}, {worst.Share * 100:F0}% (goal ≥ 0) → {(met ? "GOAL MET" : "GOAL MISSED")}"));
        }
    }

    /// <summary>Two decimals, so a cell a hair below LRU does not print as +0.0.</summary>
    private static string Points(double delta) => (delta * 100).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);
}
