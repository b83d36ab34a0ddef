namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>
/// White text on black, as title cards and end credits: <paramref name="Lines"/> scroll up at <paramref name="PixelsPerSecond"/>
/// (0 = a static card). Needs DejaVu for drawtext; without it the picture is plain black (said in the report's notes).
/// </summary>
internal sealed record CreditsVideo(IReadOnlyList<string> Lines, double PixelsPerSecond, string? FontFile) : VideoSpec
{
    public override (IReadOnlyList<string> Inputs, string Graph) Build(double seconds, int firstInput)
    {
        var text = FontFile is null
            ? ""
            : string.Concat(Lines.Select((line, i) =>
                Fmt($",drawtext=fontfile={FontFile}:text='{line}':fontsize=44:fontcolor=white:x=(w-text_w)/2:y={(PixelsPerSecond == 0 ? $"h/2-{Lines.Count * 35}+{i * 70}" : $"h-{PixelsPerSecond}*t+{i * 80}")}")));
        return (["-f", "lavfi", "-i", Fmt($"color=c=black:size={Width}x{Height}:rate={Rate}")],
            Fmt($"[{firstInput}:v]format=yuv420p{text},setsar=1[v]"));
    }
}
