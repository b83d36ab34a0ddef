namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>Digital silence (a hard negative: Chromaprint repeats one word for it).</summary>
internal sealed record SilenceAudio : AudioSpec
{
    public override string Kind => "silence";

    public override (IReadOnlyList<string> Inputs, string Graph) Build(double seconds, int firstInput) =>
        (["-f", "lavfi", "-i", Fmt($"anullsrc=r=44100:cl=stereo:d={seconds}")], Fmt($"[{firstInput}:a]anull[a]"));
}
