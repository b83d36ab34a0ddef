namespace TranscodeFarm.Core.Subtitles;

/// <summary>
/// Language tags as HLS and DASH want them (BCP 47): ffprobe reports ISO 639-2 ("fre", "ara"), which becomes the
/// two-letter code where one exists; anything that is not a plausible tag becomes null (the caller says "und").
/// </summary>
public static class SubtitleLanguage
{
    public const string Undetermined = "und";

    private static readonly Dictionary<string, string> TwoLetter = new(StringComparer.OrdinalIgnoreCase)
    {
        ["eng"] = "en", ["fre"] = "fr", ["fra"] = "fr", ["ger"] = "de", ["deu"] = "de", ["spa"] = "es", ["ita"] = "it",
        ["por"] = "pt", ["dut"] = "nl", ["nld"] = "nl", ["ara"] = "ar", ["heb"] = "he", ["rus"] = "ru", ["jpn"] = "ja",
        ["chi"] = "zh", ["zho"] = "zh", ["kor"] = "ko", ["pol"] = "pl", ["swe"] = "sv", ["nor"] = "no", ["dan"] = "da",
        ["fin"] = "fi", ["tur"] = "tr", ["gre"] = "el", ["ell"] = "el", ["hin"] = "hi", ["per"] = "fa", ["fas"] = "fa",
        ["ukr"] = "uk", ["cze"] = "cs", ["ces"] = "cs", ["hun"] = "hu", ["rum"] = "ro", ["ron"] = "ro", ["tha"] = "th",
        ["vie"] = "vi", ["ind"] = "id", ["cat"] = "ca",
    };

    /// <summary>"fre" → "fr", "pt-BR" → "pt-BR", "und"/""/"x y" → null.</summary>
    public static string? Normalize(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return null;
        }

        var t = tag.Trim().Replace('_', '-');
        var parts = t.Split('-');
        if (parts.Length > 4 || parts[0].Length is < 2 or > 3 || !parts[0].All(char.IsAsciiLetter)
            || parts.Skip(1).Any(p => p.Length is < 1 or > 8 || !p.All(char.IsAsciiLetterOrDigit)))
        {
            return null;
        }

        var primary = TwoLetter.TryGetValue(parts[0], out var two) ? two : parts[0].ToLowerInvariant();
        return primary == Undetermined ? null : string.Join('-', [primary, .. parts.Skip(1)]);
    }
}
