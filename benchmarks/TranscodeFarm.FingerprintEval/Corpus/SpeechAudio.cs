namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>Speech synthesized by espeak-ng into <paramref name="WavPath"/> before the original is made, looped to the length.</summary>
internal sealed record SpeechAudio(string Voice, int WordsPerMinute, string Text, string WavPath) : AudioSpec
{
    public override string Kind => $"speech ({Voice})";

    public override (IReadOnlyList<string> Inputs, string Graph) Build(double seconds, int firstInput) =>
        (["-stream_loop", "-1", "-i", "file:" + WavPath],
         Fmt($"[{firstInput}:a]aresample=44100[a]"));
}
