namespace TranscodeFarm.Core.Subtitles;

/// <summary>What a subtitle parser made of a file: its cues, or the first problem and the 1-based line it is on.</summary>
public sealed record SubtitleParse(IReadOnlyList<SubtitleCue> Cues, string? Error = null, int Line = 0)
{
    public bool Ok => Error is null;

    public static SubtitleParse Fail(int line, string error) => new([], error, line);

    /// <summary>"line 12: no timing line ..." (the file's name is the caller's to add).</summary>
    public string Describe() => Ok ? "ok" : $"line {Line}: {Error}";
}
