using System.Diagnostics;
using System.Globalization;
using System.Text;
using TranscodeFarm.HitRateAnalysis;

// Usage: TranscodeFarm.HitRateAnalysis [--requests N]   (default 2,000,000: the committed traces)
var requests = args.Length == 2 && args[0] == "--requests" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2_000_000;
double[] cacheShares = [0.01, 0.05, 0.10, 0.25];
var inv = CultureInfo.InvariantCulture;
var clock = Stopwatch.StartNew();
var rows = new StringBuilder();
var results = new Dictionary<(double Alpha, double Share, string Policy), HitRatios>();

foreach (var (alpha, _) in Traces.Committed)
{
    var trace = Traces.Generate(alpha, requests, Console.Error);
    foreach (var share in cacheShares)
    {
        rows.Append(inv, $"| {alpha:F1} | {share:P0} |");
        foreach (var (name, create) in Policies.All)
        {
            var r = Replay.Run(create((long)(trace.CatalogBytes * share)), trace);
            results[(alpha, share, name)] = r;
            rows.Append(inv, $" {r.Objects * 100:F1} | {r.Bytes * 100:F1} |");
        }

        rows.AppendLine();
        Console.Error.WriteLine(string.Create(inv, $"  alpha {alpha} cache {share:P0} done at {clock.Elapsed.TotalSeconds:F0} s"));
    }
}

Console.WriteLine(string.Create(inv, $"Hit ratios in % (object | byte), {requests:N0} requests per trace, cold start included:"));
Console.WriteLine();
Console.Write("| α | cache (of catalog bytes) |");
foreach (var (name, _) in Policies.All)
{
    Console.Write($" {name} obj | {name} byte |");
}

Console.WriteLine();
Console.WriteLine("|---|---|" + string.Concat(Enumerable.Repeat("---:|---:|", Policies.All.Count)));
Console.Write(rows);
Console.WriteLine();
Goal.Report(results, Console.Out);
Console.WriteLine(string.Create(inv, $"({clock.Elapsed.TotalSeconds:F0} s)"));
