using TranscodeFarm.Core.Subtitles;

namespace TranscodeFarm.Worker.Ingest;

/// <summary>
/// A subtitle file the sidecar lists (its "subtitles" array): a bare .srt or .vtt name in the sidecar's folder and how to
/// label it. <see cref="Optional"/>: a missing or malformed file is left out (the job says so) instead of failing the job.
/// </summary>
public sealed record SidecarSubtitle(string File, string? Language = null, string? Name = null, bool Forced = false, bool Sdh = false, bool Default = false, bool Optional = false)
{
    public const int MaxCount = 32;

    public static string? Validate(IReadOnlyList<SidecarSubtitle>? subtitles)
    {
        if (subtitles is null)
        {
            return null;
        }

        if (subtitles.Count > MaxCount)
        {
            return $"lists {subtitles.Count} subtitle files (at most {MaxCount})";
        }

        for (var i = 0; i < subtitles.Count; i++)
        {
            var s = subtitles[i];
            if (s is null || !Sidecar.IsBareName(s.File) || !SubtitleFileName.IsSubtitle(s.File))
            {
                return $"subtitles[{i}].file must be the bare name of a .srt or .vtt file in the same folder (got '{s?.File}')";
            }

            if (s.Language is not null && SubtitleLanguage.Normalize(s.Language) is null)
            {
                return $"subtitles[{i}].language '{s.Language}' is not a language tag such as 'en', 'fr-CA' or 'ara'";
            }

            if (s.Name is { Length: > 100 })
            {
                return $"subtitles[{i}].name is longer than 100 characters";
            }
        }

        return subtitles.Select(s => s.File).GroupBy(f => f, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice
            ? $"lists the subtitle file '{twice.Key}' twice"
            : null;
    }
}
