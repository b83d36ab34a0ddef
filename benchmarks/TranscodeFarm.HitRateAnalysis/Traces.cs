using System.Globalization;
using TranscodeFarm.Core.Caching.Traces;

namespace TranscodeFarm.HitRateAnalysis;

/// <summary>
/// The committed traces: the issue-15 model at three Zipf exponents, seed 15. The checksums were taken when the traces
/// were fixed, before any policy was written; a changed generator shows up here, not as silently different figures.
/// </summary>
internal static class Traces
{
    public const ulong Seed = 15;

    public static readonly IReadOnlyList<(double Alpha, ulong Checksum)> Committed =
    [
        (0.7, 0x1E70E9DEF4ACB87CUL),
        (0.9, 0xC1DC960EE9E8D51CUL),
        (1.1, 0xF9BF465AB677A1B3UL),
    ];

    public static SegmentTraceModel Model(double alpha, int requests, ulong seed = Seed) =>
        new() { ZipfAlpha = alpha, Requests = requests, Seed = seed };

    /// <summary>Generates the trace and, when it is a committed one, says whether its checksum still matches.</summary>
    public static SegmentTrace Generate(double alpha, int requests, TextWriter log, ulong seed = Seed)
    {
        var model = Model(alpha, requests, seed);
        var trace = SegmentTraceGenerator.Generate(model);
        var checksum = trace.Checksum();
        var committed = Committed.FirstOrDefault(c => c.Alpha == alpha).Checksum;
        var verdict = requests != new SegmentTraceModel().Requests || seed != Seed || committed == 0 ? "not a committed trace"
            : committed == checksum ? "matches the committed checksum"
            : $"TRACE CHANGED: committed 0x{committed:X16}";
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trace alpha={alpha} seed={seed} requests={requests:N0} catalog={trace.CatalogBytes / 1e9:F1} GB xxhash64=0x{checksum:X16} ({verdict})"));
        return trace;
    }
}
