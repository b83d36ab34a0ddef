using System.Text;

namespace TranscodeFarm.Core.Subtitles;

/// <summary>Cue text as WebVTT wants it: only its own tags, '&amp;', '&lt;' and '&gt;' escaped everywhere else.</summary>
internal static class CueMarkup
{
    private static readonly string[] KeptSrtTags = ["i", "b", "u"];

    /// <summary>One SRT text line: &lt;i&gt;/&lt;b&gt;/&lt;u&gt; kept (lower case), &lt;font&gt; and {\…} overrides dropped.</summary>
    public static string FromSrt(string line)
    {
        var sb = new StringBuilder(line.Length);
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == '{' && i + 1 < line.Length && line[i + 1] == '\\' && line.IndexOf('}', i) is var close and > 0)
            {
                i = close + 1; // an ASS override such as {\an8}: positioning WebVTT says another way
                continue;
            }

            if (c == '<' && line.IndexOf('>', i) is var end and > 0 && Tag(line.AsSpan(i + 1, end - i - 1)) is { } tag)
            {
                sb.Append(tag);
                i = end + 1;
                continue;
            }

            sb.Append(Escape(c));
            i++;
        }

        return sb.ToString();
    }

    /// <summary>"i", "/B", "font color=…": the WebVTT tag to write ("" to drop it), or null when it is not a tag.</summary>
    private static string? Tag(ReadOnlySpan<char> inner)
    {
        var closing = inner.StartsWith("/");
        var name = (closing ? inner[1..] : inner).Trim();
        var space = name.IndexOf(' ');
        var bare = (space < 0 ? name : name[..space]).ToString().ToLowerInvariant();
        if (KeptSrtTags.Contains(bare) && space < 0)
        {
            return closing ? $"</{bare}>" : $"<{bare}>";
        }

        return bare == "font" ? "" : null;
    }

    private static string Escape(char c) => c switch
    {
        '&' => "&amp;",
        '<' => "&lt;",
        '>' => "&gt;",
        _ => c.ToString(),
    };
}
