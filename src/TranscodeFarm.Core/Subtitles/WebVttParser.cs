namespace TranscodeFarm.Core.Subtitles;

/// <summary>
/// WebVTT (W3C WebVTT, the file syntax): the "WEBVTT" signature line, header lines up to the first blank line, then
/// blocks: NOTE, STYLE and REGION blocks are skipped, a cue is an optional identifier line, "[hh:]mm:ss.mmm -->
/// [hh:]mm:ss.mmm [settings]" and its text. Cue text is WebVTT already and kept as it is; cue settings are kept.
/// Used for producers' .vtt files and for what ffmpeg makes of a source's text streams.
/// </summary>
public static class WebVttParser
{
    public static SubtitleParse Parse(string text)
    {
        var lines = SubtitleText.Lines(text);
        if (!IsSignature(lines[0]))
        {
            return SubtitleParse.Fail(1, "a WebVTT file starts with the line 'WEBVTT'");
        }

        var cues = new List<SubtitleCue>();
        var i = 1;
        while (i < lines.Length && lines[i].Length > 0)
        {
            i++; // header lines
        }

        while (i < lines.Length)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                i++;
                continue;
            }

            var blockStart = i;
            if (IsSkippedBlock(lines[i]))
            {
                while (i < lines.Length && lines[i].Length > 0)
                {
                    i++;
                }

                continue;
            }

            if (!lines[i].Contains("-->", StringComparison.Ordinal))
            {
                i++; // the cue identifier
            }

            if (i >= lines.Length || !lines[i].Contains("-->", StringComparison.Ordinal))
            {
                var at = Math.Min(i, lines.Length - 1);
                return SubtitleParse.Fail(at + 1, $"expected a timing line such as '00:00:01.000 --> 00:00:02.500', got '{Short(lines[at])}'");
            }

            var timing = lines[i];
            var arrow = timing.IndexOf("-->", StringComparison.Ordinal);
            var rest = timing[(arrow + 3)..].TrimStart();
            var space = rest.IndexOfAny([' ', '\t']);
            var start = SubtitleText.ParseTime(timing.AsSpan(0, arrow), '.', hoursOptional: true);
            var end = SubtitleText.ParseTime(space < 0 ? rest : rest[..space], '.', hoursOptional: true);
            if (start < 0 || end < 0)
            {
                return SubtitleParse.Fail(i + 1, $"the timing line '{Short(timing)}' is not '[hh:]mm:ss.mmm --> [hh:]mm:ss.mmm'");
            }

            if (end < start)
            {
                return SubtitleParse.Fail(i + 1, $"the cue ends before it starts ('{Short(timing)}')");
            }

            var settings = space < 0 ? null : rest[(space + 1)..].Trim();
            var body = new List<string>();
            for (i++; i < lines.Length && lines[i].Length > 0; i++)
            {
                if (lines[i].Contains("-->", StringComparison.Ordinal))
                {
                    return SubtitleParse.Fail(i + 1, "cue text may not contain '-->' (a blank line is missing before the next cue?)");
                }

                body.Add(lines[i]);
            }

            if (body.Count > 0 && end > start)
            {
                cues.Add(new SubtitleCue(start, end, string.Join('\n', body), string.IsNullOrEmpty(settings) ? null : settings));
            }
        }

        return new SubtitleParse(cues);
    }

    private static bool IsSignature(string line) =>
        line.StartsWith("WEBVTT", StringComparison.Ordinal) && (line.Length == 6 || line[6] is ' ' or '\t');

    private static bool IsSkippedBlock(string line) =>
        line is "NOTE" or "STYLE" or "REGION" || line.StartsWith("NOTE ", StringComparison.Ordinal) || line.StartsWith("NOTE\t", StringComparison.Ordinal);

    private static string Short(string line) => line.Length > 60 ? line[..60] + "…" : line;
}
