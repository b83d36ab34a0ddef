using TranscodeFarm.HitRateAnalysis;

foreach (var (alpha, _) in Traces.Committed)
{
    Traces.Generate(alpha, 2_000_000, Console.Out);
}
