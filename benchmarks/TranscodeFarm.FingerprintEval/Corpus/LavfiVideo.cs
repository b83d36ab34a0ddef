namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>A lavfi source (testsrc2, mandelbrot, life...), brought to 1280x720 by <paramref name="Chain"/> and a scale.</summary>
internal sealed record LavfiVideo(string Source, string Chain = "") : VideoSpec
{
    public override (IReadOnlyList<string> Inputs, string Graph) Build(double seconds, int firstInput) =>
        (["-f", "lavfi", "-i", Source],
         Fmt($"[{firstInput}:v]{Chain}scale={Width}:{Height},setsar=1,format=yuv420p[v]"));
}
