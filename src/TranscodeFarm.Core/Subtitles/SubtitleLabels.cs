namespace TranscodeFarm.Core.Subtitles;

/// <summary>What is known about one subtitle track before labelling: each field may be missing.</summary>
public sealed record SubtitleFacts(string? Language, string? Name, bool Forced, bool HearingImpaired, bool Default);

/// <summary>
/// Labels an asset's subtitle tracks: a language ("und" when unknown), a name a menu can show (the given one, or the
/// language with "forced"/"SDH"), names unique in the asset (HLS requires it within a group), and at most one default
/// (the first asked for).
/// </summary>
public static class SubtitleLabels
{
    public static IReadOnlyList<SubtitleLabel> Assign(IReadOnlyList<SubtitleFacts> facts)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var defaultTaken = false;
        var labels = new List<SubtitleLabel>();
        foreach (var f in facts)
        {
            var language = SubtitleLanguage.Normalize(f.Language) ?? SubtitleLanguage.Undetermined;
            var baseName = string.IsNullOrWhiteSpace(f.Name)
                ? language + (f.Forced ? " forced" : "") + (f.HearingImpaired ? " SDH" : "")
                : f.Name.Trim();
            var name = baseName;
            for (var n = 2; !used.Add(name); n++)
            {
                name = $"{baseName} {n}";
            }

            var isDefault = f.Default && !defaultTaken;
            defaultTaken |= isDefault;
            labels.Add(new SubtitleLabel(language, name, f.Forced, f.HearingImpaired, isDefault));
        }

        return labels;
    }
}
