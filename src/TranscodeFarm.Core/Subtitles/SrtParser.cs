namespace TranscodeFarm.Core.Subtitles;

/// <summary>
/// SubRip (.srt): blocks of an optional counter line, "00:00:01,000 --> 00:00:02,500" (anything after the end time,
/// such as X1:… coordinates, is ignored) and text lines, separated by blank lines. Styling becomes WebVTT's: &lt;i&gt;,
/// &lt;b&gt; and &lt;u&gt; are kept, &lt;font …&gt; and ASS overrides ({\an8}) are dropped, anything else is escaped text.
/// Lenient where players are (a missing counter, extra blank lines), strict where a cue would be lost or misplaced.
/// </summary>
public static class SrtParser
{
    public static SubtitleParse Parse(string text)
    {
        var lines = SubtitleText.Lines(text);
        var cues = new List<SubtitleCue>();
        var i = 0;
        while (i < lines.Length)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                i++;
                continue;
            }

            var blockStart = i;
            if (!lines[i].Contains("-->", StringComparison.Ordinal) && lines[i].Trim().All(char.IsAsciiDigit))
            {
                i++; // the counter ("12"); its value is not checked, players ignore it too
            }

            if (i >= lines.Length || !lines[i].Contains("-->", StringComparison.Ordinal))
            {
                var at = Math.Min(i, lines.Length - 1);
                return SubtitleParse.Fail(at + 1, $"expected a timing line such as '00:00:01,000 --> 00:00:02,500', got '{Short(lines[at])}'");
            }

            var timing = lines[i];
            var arrow = timing.IndexOf("-->", StringComparison.Ordinal);
            var endPart = timing.AsSpan(arrow + 3).TrimStart();
            var space = endPart.IndexOfAny(' ', '\t');
            var start = SubtitleText.ParseTime(timing.AsSpan(0, arrow), ',', hoursOptional: false);
            var end = SubtitleText.ParseTime(space < 0 ? endPart : endPart[..space], ',', hoursOptional: false);
            if (start < 0 || end < 0)
            {
                return SubtitleParse.Fail(i + 1, $"the timing line '{Short(timing)}' is not 'hh:mm:ss,mmm --> hh:mm:ss,mmm'");
            }

            if (end < start)
            {
                return SubtitleParse.Fail(i + 1, $"the cue ends before it starts ('{Short(timing)}')");
            }

            var body = new List<string>();
            for (i++; i < lines.Length && !string.IsNullOrWhiteSpace(lines[i]); i++)
            {
                body.Add(CueMarkup.FromSrt(lines[i]));
            }

            if (body.Count > 0 && end > start)
            {
                cues.Add(new SubtitleCue(start, end, string.Join('\n', body)));
            }
        }

        return cues.Count == 0 ? SubtitleParse.Fail(1, "no cues") : new SubtitleParse(cues);
    }

    private static string Short(string line) => line.Length > 60 ? line[..60] + "…" : line;
}
