namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>An excerpt of a music file from a Debian package.</summary>
internal sealed record MusicAudio(string File, double StartSeconds) : AudioSpec
{
    public override string Kind => Fmt($"music ({Path.GetFileName(File)} from {StartSeconds:0} s)");

    public override (IReadOnlyList<string> Inputs, string Graph) Build(double seconds, int firstInput) =>
        (["-ss", Fmt($"{StartSeconds}"), "-i", "file:" + File], Fmt($"[{firstInput}:a]aresample=44100,apad[a]"));
}
