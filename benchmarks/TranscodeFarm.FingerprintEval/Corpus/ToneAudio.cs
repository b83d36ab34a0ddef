namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>A held sine tone (line-up tone, test signal): a hard negative that every tone of that pitch resembles.</summary>
internal sealed record ToneAudio(double Hertz) : AudioSpec
{
    public override string Kind => Fmt($"tone {Hertz:0} Hz");

    public override (IReadOnlyList<string> Inputs, string Graph) Build(double seconds, int firstInput) =>
        (["-f", "lavfi", "-i", Fmt($"sine=frequency={Hertz}:sample_rate=44100:duration={seconds}")], Fmt($"[{firstInput}:a]volume=0.5[a]"));
}
