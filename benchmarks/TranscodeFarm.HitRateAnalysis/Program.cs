using System.Diagnostics;
using System.Globalization;
using System.Text;
using TranscodeFarm.HitRateAnalysis;

// Usage: TranscodeFarm.HitRateAnalysis [--requests N] [--seed S]   (defaults 2,000,000 and 15: the committed traces)
//        TranscodeFarm.HitRateAnalysis --sweep          (the parameter alternatives decision 025 chose among)
if (args.Length == 1 && args[0] == "--sweep")
{
    Sweep.Run(Console.Out);
    return;
}

var requests = 2_000_000;
var seed = Traces.Seed;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    _ = args[i] switch
    {
        "--requests" => requests = int.Parse(args[i + 1], CultureInfo.InvariantCulture),
        "--seed" => (int)(seed = ulong.Parse(args[i + 1], CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"unknown option {args[i]}; use --requests N, --seed S or --sweep"),
    };
}

double[] cacheShares = [0.01, 0.05, 0.10, 0.25];
var inv = CultureInfo.InvariantCulture;
var clock = Stopwatch.StartNew();
var all = new StringBuilder();
var warm = new StringBuilder();
var results = new Dictionary<(double Alpha, double Share, string Policy), HitRatios>();

foreach (var (alpha, _) in Traces.Committed)
{
    var trace = Traces.Generate(alpha, requests, Console.Error, seed);
    foreach (var share in cacheShares)
    {
        var capacity = (long)(trace.CatalogBytes * share);
        all.Append(inv, $"| {alpha:F1} | {share * 100:F0}% |");
        warm.Append(inv, $"| {alpha:F1} | {share * 100:F0}% |");
        foreach (var (name, create) in Policies.All)
        {
            var r = Replay.Run(create(capacity), trace);
            results[(alpha, share, name)] = r;
            all.Append(inv, $" {r.Objects * 100:F1} | {r.Bytes * 100:F1} |");
            warm.Append(inv, $" {r.WarmBytes * 100:F1} |");
        }

        all.AppendLine(string.Create(inv, $" {Oracle.ByteHitRatio(trace, capacity) * 100:F1} |"));
        warm.AppendLine();
        Console.Error.WriteLine(string.Create(inv, $"  alpha {alpha} cache {share * 100:F0}% done at {clock.Elapsed.TotalSeconds:F0} s"));
    }
}

var names = Policies.All.Select(p => p.Name).ToList();
Console.WriteLine(string.Create(inv, $"Hit ratios in %, {requests:N0} requests per trace, seed {seed}, every request counted (cold start included):"));
Console.WriteLine();
Console.WriteLine("| α | cache |" + string.Concat(names.Select(n => $" {n} obj | {n} byte |")) + " oracle byte |");
Console.WriteLine("|---|---|" + string.Concat(Enumerable.Repeat("---:|---:|", names.Count)) + "---:|");
Console.Write(all);
Console.WriteLine();
Console.WriteLine("Byte hit ratio in %, second half of each trace only (warm cache):");
Console.WriteLine();
Console.WriteLine("| α | cache |" + string.Concat(names.Select(n => $" {n} |")));
Console.WriteLine("|---|---|" + string.Concat(Enumerable.Repeat("---:|", names.Count)));
Console.Write(warm);
Console.WriteLine();
Goal.Report(results, "every request", r => r.Bytes, Console.Out);
Goal.Report(results, "warm half", r => r.WarmBytes, Console.Out);
Console.WriteLine(string.Create(inv, $"({clock.Elapsed.TotalSeconds:F0} s)"));
