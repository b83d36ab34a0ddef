using System.Globalization;

namespace TranscodeFarm.FingerprintEval;

/// <summary>Command-line options; see <c>benchmarks/fingerprint-eval.sh</c> for the usage line.</summary>
internal sealed record EvalOptions
{
    /// <summary>Where generated media is kept between runs (reused when present).</summary>
    public required string CorpusRoot { get; init; }

    /// <summary>Photos and music taken out of Debian packages by the script; missing files are skipped.</summary>
    public required string AssetsDir { get; init; }

    public double Seconds { get; init; } = 30;

    public int SyntheticAssets { get; init; } = 10_000;

    public int ScaleQueries { get; init; } = 200;

    public bool Quick { get; init; }

    /// <summary>Hard negatives of each kind in each half (issue 17); 6 a kind makes the set about as large as the positives.</summary>
    public int NegativesPerKind { get; init; } = 6;

    /// <summary>Skip the speed and the 10,000-asset latency parts (for iterating on accuracy).</summary>
    public bool AccuracyOnly { get; init; }

    /// <summary>Only time queries over the synthetic assets, with and without mirrored hashes.</summary>
    public bool LatencyOnly { get; init; }

    /// <summary>Fingerprint the copies and negatives with <c>FingerprintExtractor.FastDecode</c>, as the standalone extractor
    /// does by default since issue 17 (<c>Media:FingerprintFastDecode</c>); <c>--full-decode</c> turns it off for comparison.</summary>
    public bool FastDecode { get; init; }

    /// <summary>Keep each file's fingerprint here between runs (<c>--fingerprint-cache DIR</c>); null: extract every run.</summary>
    public string? FingerprintCache { get; init; }

    /// <summary>Make the corpus and stop.</summary>
    public bool BuildOnly { get; init; }

    /// <summary>ffmpeg processes run at once while the corpus is made and fingerprinted.</summary>
    public int Jobs { get; init; } = 2;

    /// <summary>Internal: measure extraction speed of this clip after a warm-up on the second (the parent pins it to one core).</summary>
    public (string Clip, string Warmup)? SpeedChild { get; init; }

    public static EvalOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var corpus = Value(args, "--corpus") ?? Path.Combine(AppContext.BaseDirectory, "corpus");
        return new EvalOptions
        {
            Quick = quick,
            NegativesPerKind = (int)Number(args, "--negatives-per-kind", quick ? 3 : 6),
            AccuracyOnly = args.Contains("--accuracy-only"),
            BuildOnly = args.Contains("--build-only"),
            LatencyOnly = args.Contains("--latency-only"),
            FastDecode = !args.Contains("--full-decode"),
            FingerprintCache = Value(args, "--fingerprint-cache") is { } cache ? Path.GetFullPath(cache) : null,
            CorpusRoot = Path.GetFullPath(corpus),
            AssetsDir = Path.GetFullPath(Value(args, "--assets") ?? Path.Combine(corpus, "debian")),
            Seconds = Math.Max(Number(args, "--seconds", quick ? 15 : 30), 12), // the 10-s excerpt needs room
            SyntheticAssets = (int)Number(args, "--synthetic-assets", 10_000),
            ScaleQueries = (int)Number(args, "--queries", quick ? 100 : 200),
            Jobs = (int)Number(args, "--jobs", Math.Min(2, Environment.ProcessorCount)),
            SpeedChild = Value(args, "--speed-child") is { } clip ? (clip, args[Array.IndexOf(args, "--speed-child") + 2]) : null,
        };
    }

    private static string? Value(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static double Number(string[] args, string name, double fallback)
    {
        var text = Value(args, name);
        if (text is null)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} takes a positive number, got '{text}'");
    }
}
