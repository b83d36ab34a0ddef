using System.Globalization;

namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>How an original's sound is made: ffmpeg inputs plus a filter graph that ends in <c>[a]</c>.</summary>
internal abstract record AudioSpec
{
    public abstract string Kind { get; }

    public abstract (IReadOnlyList<string> Inputs, string Graph) Build(double seconds, int firstInput);

    protected static string Fmt(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

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

/// <summary>Speech synthesized by espeak-ng into <paramref name="WavPath"/> before the original is made, looped to the length.</summary>
internal sealed record SpeechAudio(string Voice, int WordsPerMinute, string Text, string WavPath) : AudioSpec
{
    public override string Kind => $"speech ({Voice})";

    public override (IReadOnlyList<string> Inputs, string Graph) Build(double seconds, int firstInput) =>
        (["-stream_loop", "-1", "-i", "file:" + WavPath],
         Fmt($"[{firstInput}:a]aresample=44100[a]"));
}

/// <summary>An excerpt of a music file from a Debian package.</summary>
internal sealed record MusicAudio(string File, double StartSeconds) : AudioSpec
{
    public override string Kind => Fmt($"music ({Path.GetFileName(File)} from {StartSeconds:0} s)");

    public override (IReadOnlyList<string> Inputs, string Graph) Build(double seconds, int firstInput) =>
        (["-ss", Fmt($"{StartSeconds}"), "-i", "file:" + File], Fmt($"[{firstInput}:a]aresample=44100,apad[a]"));
}
