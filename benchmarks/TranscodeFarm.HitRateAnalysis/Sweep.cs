using System.Globalization;
using TranscodeFarm.Core.Caching.Policies;

namespace TranscodeFarm.HitRateAnalysis;

/// <summary>
/// The parameter alternatives tried once, over every α and size, before the defaults were fixed (decision 025): the
/// defaults are whole-table choices, never per cell.
/// </summary>
internal static class Sweep
{
    private static readonly (string Name, Func<long, ICachePolicy<int>> Create)[] Variants =
    [
        ("LRU", b => new LruPolicy<int>(b)),
        ("S3-FIFO small 5%", b => new S3FifoPolicy<int>(b, null, 0.05)),
        ("S3-FIFO small 10% (paper)", b => new S3FifoPolicy<int>(b, null, 0.10)),
        ("S3-FIFO small 20%", b => new S3FifoPolicy<int>(b, null, 0.20)),
        ("W-TinyLFU window 1%, 1 MiB/counter", b => new WTinyLfuPolicy<int>(b, null, 0.01, 0.8, 1 << 20)),
        ("W-TinyLFU window 1%, 256 KiB/counter", b => new WTinyLfuPolicy<int>(b, null, 0.01, 0.8, 256 << 10)),
        ("W-TinyLFU window 1%, 64 KiB/counter", b => new WTinyLfuPolicy<int>(b, null, 0.01, 0.8, 64 << 10)),
        ("W-TinyLFU window 10%, 256 KiB/counter", b => new WTinyLfuPolicy<int>(b, null, 0.10, 0.8, 256 << 10)),
    ];

    public static void Run(TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        double[] shares = [0.01, 0.05, 0.10, 0.25];
        output.WriteLine("Byte hit ratio in %, every request counted:");
        output.WriteLine();
        output.WriteLine("| variant |" + string.Concat(Traces.Committed.SelectMany(t => shares.Select(s => string.Create(inv, $" α {t.Alpha} {s * 100:F0}% |")))));
        output.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", Traces.Committed.Count * shares.Length)));
        var traces = Traces.Committed.Select(t => Traces.Generate(t.Alpha, 2_000_000, Console.Error)).ToList();
        foreach (var (name, create) in Variants)
        {
            output.Write($"| {name} |");
            foreach (var trace in traces)
            {
                foreach (var share in shares)
                {
                    output.Write(string.Create(inv, $" {Replay.Run(create((long)(trace.CatalogBytes * share)), trace).Bytes * 100:F1} |"));
                }
            }

            output.WriteLine();
        }
    }
}
