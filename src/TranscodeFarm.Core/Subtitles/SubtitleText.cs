namespace TranscodeFarm.Core.Subtitles;

/// <summary>Text-level steps shared by the parsers: a BOM and CR/LF line ends removed, a millisecond clock read.</summary>
internal static class SubtitleText
{
    /// <summary>The file's lines without their line ends (LF, CRLF or a lone CR) and without a leading BOM.</summary>
    public static string[] Lines(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        return text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
    }

    /// <summary>
    /// "hh:mm:ss,mmm" (SRT, <paramref name="separator"/> ',') or "[hh:]mm:ss.mmm" (WebVTT, '.'); hours may have more
    /// than two digits. Returns milliseconds, or -1 when the text is not such a time.
    /// </summary>
    public static long ParseTime(ReadOnlySpan<char> s, char separator, bool hoursOptional)
    {
        s = s.Trim();
        var sep = s.LastIndexOf(separator);
        if (sep < 0 || s.Length - sep - 1 != 3 || !AllDigits(s[(sep + 1)..]))
        {
            return -1;
        }

        var millis = int.Parse(s[(sep + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var clock = s[..sep];
        Span<Range> parts = stackalloc Range[4];
        var count = clock.Split(parts, ':');
        if (count is < 2 or > 3 || (count == 2 && !hoursOptional))
        {
            return -1;
        }

        long hours = 0;
        if (count == 3)
        {
            var h = clock[parts[0]];
            if (h.Length == 0 || h.Length > 6 || !AllDigits(h))
            {
                return -1;
            }

            hours = long.Parse(h, System.Globalization.CultureInfo.InvariantCulture);
        }

        var m = clock[parts[count - 2]];
        var sec = clock[parts[count - 1]];
        if (m.Length != 2 || sec.Length != 2 || !AllDigits(m) || !AllDigits(sec))
        {
            return -1;
        }

        var minutes = int.Parse(m, System.Globalization.CultureInfo.InvariantCulture);
        var seconds = int.Parse(sec, System.Globalization.CultureInfo.InvariantCulture);
        return minutes > 59 || seconds > 59 ? -1 : (((hours * 60) + minutes) * 60 + seconds) * 1000 + millis;
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return s.Length > 0;
    }
}
