using System.Collections.Frozen;

namespace TranscodeFarm.Core.Planning;

/// <summary>
/// Language tags as sources spell them (ISO 639-2 bibliographic or terminology codes in MP4/MKV stream tags, ISO 639-1,
/// BCP 47 with a region) reduced to one BCP 47 form for manifests ("fre", "fra", "FR" → "fr"; "en_US" → "en-US"),
/// the ISO 639-2/T code an MP4 mdhd box holds, and an English name for a track label. Pure; a table, not ICU, so it
/// answers the same on every host (invariant globalization included).
/// </summary>
public static class AudioLanguage
{
    public const string Undetermined = "und";

    // BCP 47 (ISO 639-1 where one exists), ISO 639-2/T, ISO 639-2/B where it differs, English name.
    private static readonly (string Tag, string T, string? B, string Name)[] Table =
    [
        ("en", "eng", null, "English"), ("fr", "fra", "fre", "French"), ("de", "deu", "ger", "German"),
        ("es", "spa", null, "Spanish"), ("it", "ita", null, "Italian"), ("pt", "por", null, "Portuguese"),
        ("nl", "nld", "dut", "Dutch"), ("sv", "swe", null, "Swedish"), ("no", "nor", null, "Norwegian"),
        ("nb", "nob", null, "Norwegian Bokmål"), ("nn", "nno", null, "Norwegian Nynorsk"), ("da", "dan", null, "Danish"),
        ("fi", "fin", null, "Finnish"), ("is", "isl", "ice", "Icelandic"), ("pl", "pol", null, "Polish"),
        ("cs", "ces", "cze", "Czech"), ("sk", "slk", "slo", "Slovak"), ("hu", "hun", null, "Hungarian"),
        ("ro", "ron", "rum", "Romanian"), ("bg", "bul", null, "Bulgarian"), ("el", "ell", "gre", "Greek"),
        ("ru", "rus", null, "Russian"), ("uk", "ukr", null, "Ukrainian"), ("tr", "tur", null, "Turkish"),
        ("ar", "ara", null, "Arabic"), ("he", "heb", null, "Hebrew"), ("fa", "fas", "per", "Persian"),
        ("hi", "hin", null, "Hindi"), ("bn", "ben", null, "Bengali"), ("ur", "urd", null, "Urdu"),
        ("ta", "tam", null, "Tamil"), ("te", "tel", null, "Telugu"), ("th", "tha", null, "Thai"),
        ("vi", "vie", null, "Vietnamese"), ("id", "ind", null, "Indonesian"), ("ms", "msa", "may", "Malay"),
        ("zh", "zho", "chi", "Chinese"), ("ja", "jpn", null, "Japanese"), ("ko", "kor", null, "Korean"),
        ("ca", "cat", null, "Catalan"), ("eu", "eus", "baq", "Basque"), ("gl", "glg", null, "Galician"),
        ("hr", "hrv", null, "Croatian"), ("sr", "srp", null, "Serbian"), ("sl", "slv", null, "Slovenian"),
        ("et", "est", null, "Estonian"), ("lv", "lav", null, "Latvian"), ("lt", "lit", null, "Lithuanian"),
        ("ga", "gle", null, "Irish"), ("cy", "cym", "wel", "Welsh"), ("sq", "sqi", "alb", "Albanian"),
        ("mk", "mkd", "mac", "Macedonian"), ("hy", "hye", "arm", "Armenian"), ("ka", "kat", "geo", "Georgian"),
        ("tl", "tgl", null, "Tagalog"), ("sw", "swa", null, "Swahili"), ("af", "afr", null, "Afrikaans"),
        ("zu", "zul", null, "Zulu"), ("la", "lat", null, "Latin"), ("yi", "yid", null, "Yiddish"),
    ];

    private static readonly FrozenDictionary<string, (string Tag, string T, string Name)> ByCode = Table
        .SelectMany(e => new[] { e.Tag, e.T, e.B }.OfType<string>().Select(code => (code, e)))
        .ToFrozenDictionary(p => p.code, p => (p.e.Tag, p.e.T, p.e.Name), StringComparer.OrdinalIgnoreCase);

    /// <summary>Codes that say "no single language": kept as ISO 639-2 has them.</summary>
    private static readonly FrozenSet<string> Special = FrozenSet.ToFrozenSet(["und", "mul", "zxx", "mis", "qaa"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The BCP 47 tag for a source's or a producer's language tag; <see cref="Undetermined"/> for nothing or nonsense.
    /// A 3-letter code not in the table is kept (it is a valid BCP 47 primary subtag); a region or script subtag is kept
    /// with its BCP 47 case ("pt-br" → "pt-BR", "zh-hant" → "zh-Hant").
    /// </summary>
    public static string Normalize(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return Undetermined;
        }

        var parts = tag.Trim().Replace('_', '-').Split('-');
        if (parts.Length > 3 || parts.Any(p => p.Length is 0 or > 8 || !p.All(char.IsAsciiLetterOrDigit)))
        {
            return Undetermined;
        }

        var primary = parts[0];
        if (primary.Length is < 2 or > 3 || !primary.All(char.IsAsciiLetter))
        {
            return Undetermined;
        }

        primary = Special.Contains(primary) ? primary.ToLowerInvariant()
            : ByCode.TryGetValue(primary, out var known) ? known.Tag
            : primary.Length == 3 ? primary.ToLowerInvariant() : Undetermined;
        if (primary == Undetermined || parts.Length == 1)
        {
            return primary;
        }

        var subtags = parts.Skip(1).Select(p => p.Length switch
        {
            2 or 3 when p.All(char.IsAsciiDigit) || p.Length == 2 => p.ToUpperInvariant(), // region: "BR", "419"
            4 => char.ToUpperInvariant(p[0]) + p[1..].ToLowerInvariant(), // script: "Hant"
            _ => p.ToLowerInvariant(),
        });
        return string.Join('-', [primary, .. subtags]);
    }

    /// <summary>Whether a producer's tag is one <see cref="Normalize"/> understands (for refusing bad sidecar values).</summary>
    public static bool IsValid(string? tag) => !string.IsNullOrWhiteSpace(tag) && (Normalize(tag) != Undetermined || Special.Contains(tag.Trim()));

    /// <summary>The ISO 639-2/T code of a normalized tag, for the MP4 mdhd box ("en-US" → "eng"); "und" when it has none.</summary>
    public static string Iso639Part2(string bcp47)
    {
        var primary = bcp47.Split('-')[0];
        return ByCode.TryGetValue(primary, out var known) ? known.T : primary.Length == 3 ? primary : Undetermined;
    }

    /// <summary>The primary language subtag: "en-US" → "en" (what selection rules compare).</summary>
    public static string Primary(string bcp47) => bcp47.Split('-')[0];

    /// <summary>An English name for a label ("fr" → "French"); null for und and codes not in the table.</summary>
    public static string? EnglishName(string bcp47) =>
        ByCode.TryGetValue(Primary(bcp47), out var known) ? known.Name : null;
}
