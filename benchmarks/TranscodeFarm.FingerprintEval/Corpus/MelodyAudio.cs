namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>
/// Two synthetic voices stepping through pseudo-random semitones (a hash of the note index, seeded), over quiet pink
/// noise: distinct between seeds, and changing often enough that Chromaprint does not see a held tone.
/// </summary>
internal sealed record MelodyAudio(double Seed, double NotesPerSecond) : AudioSpec
{
    public override string Kind => "synth melody";

    public override (IReadOnlyList<string> Inputs, string Graph) Build(double seconds, int firstInput)
    {
        var lead = Fmt($"220*pow(2,floor(24*mod(abs(sin(floor(t*{NotesPerSecond})*12.9898+{Seed})*43758.5453),1))/12)");
        var bass = Fmt($"110*pow(2,floor(12*mod(abs(sin(floor(t*{NotesPerSecond / 2})*78.233+{Seed})*12345.678),1))/12)");
        var expr = $"0.35*sin(2*PI*t*{lead})+0.25*sin(2*PI*t*{bass})";
        return (
            ["-f", "lavfi", "-i", Fmt($"aevalsrc='{expr}':s=44100:d={seconds}"),
             "-f", "lavfi", "-i", Fmt($"anoisesrc=c=pink:a=0.03:d={seconds}:seed={(int)(Seed * 1000)}")],
            Fmt($"[{firstInput}:a][{firstInput + 1}:a]amix=inputs=2:normalize=0[a]"));
    }
}
