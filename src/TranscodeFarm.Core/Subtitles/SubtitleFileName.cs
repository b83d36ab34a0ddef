namespace TranscodeFarm.Core.Subtitles;

/// <summary>What a subtitle file's name says about it, when it sits beside its video.</summary>
public sealed record SubtitleNameTags(string? Language, bool Forced, bool HearingImpaired, bool Default);

/// <summary>
/// The drop folder's naming rule for subtitle files beside their video: "film.srt", "film.en.srt",
/// "film.fr.forced.vtt", "film.en.sdh.srt" (also "cc", "hi"), "film.es.default.vtt" belong to "film.mkv". The words
/// between the video's base name and the extension are a language tag and flags, in any order.
/// </summary>
public static class SubtitleFileName
{
    private static readonly string[] Extensions = [".srt", ".vtt"];

    /// <summary>Whether a name is a subtitle file the farm reads (.srt or .vtt): never a job of its own.</summary>
    public static bool IsSubtitle(string fileName) =>
        Extensions.Any(e => fileName.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    /// <summary>The format by extension: true for WebVTT, false for SubRip.</summary>
    public static bool IsWebVtt(string fileName) => fileName.EndsWith(".vtt", StringComparison.OrdinalIgnoreCase);

    /// <summary>The tags of <paramref name="candidate"/> when it is a subtitle file of <paramref name="videoFileName"/>, else null.</summary>
    public static SubtitleNameTags? Match(string videoFileName, string candidate)
    {
        if (!IsSubtitle(candidate))
        {
            return null;
        }

        var stem = Path.GetFileNameWithoutExtension(videoFileName);
        var name = Path.GetFileNameWithoutExtension(candidate);
        if (name == stem)
        {
            return new SubtitleNameTags(null, false, false, false);
        }

        if (stem.Length == 0 || !name.StartsWith(stem + ".", StringComparison.Ordinal))
        {
            return null;
        }

        string? language = null;
        bool forced = false, sdh = false, isDefault = false;
        foreach (var word in name[(stem.Length + 1)..].Split('.'))
        {
            switch (word.ToLowerInvariant())
            {
                case "forced":
                    forced = true;
                    break;
                case "sdh" or "cc" or "hi":
                    sdh = true;
                    break;
                case "default":
                    isDefault = true;
                    break;
                default:
                    if (language is not null || SubtitleLanguage.Normalize(word) is not { } tag)
                    {
                        return null; // "film.part2.srt" belongs to "film.part2.mkv", not to "film.mkv"
                    }

                    language = tag;
                    break;
            }
        }

        return new SubtitleNameTags(language, forced, sdh, isDefault);
    }
}
