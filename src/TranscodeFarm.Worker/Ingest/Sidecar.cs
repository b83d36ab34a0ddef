using System.Text.Json;

namespace TranscodeFarm.Worker.Ingest;

/// <summary>
/// Optional "&lt;name&gt;.json" next to a dropped file:
/// {"profile": "...", "priority": 5, "title": "...", "drm": {"scheme": "cbcs", "systems": ["widevine", "clearkey"]}, "requireToken": true,
///  "subtitles": [{"file": "film.ar.srt", "language": "ar", "name": "العربية", "forced": false, "sdh": false, "default": false, "optional": true}]}.
/// The one sidecar schema (decision 015): a regular file (not a link, FIFO or device), at most 64 KiB, strict (an
/// unknown field is refused by name, so a typo never silently falls back to a default); a file it refers to (subtitles)
/// is a bare name in the same folder (<see cref="IsBareName"/>), opened under the same rules.
/// </summary>
public sealed record Sidecar(string? Profile, int? Priority, string? Title, Core.Drm.DrmSettings? Drm = null, bool RequireToken = false, IReadOnlyList<SidecarSubtitle>? Subtitles = null)
{
    public const int MaxBytes = 64 * 1024;

    /// <summary>Labels for the source's audio tracks (decision 029):
    /// "audio": [{"track": 1, "language": "fr", "name": "Français", "default": true, "description": false}].</summary>
    public IReadOnlyList<Core.Planning.AudioTrackOverride>? Audio { get; init; }

    /// <summary>The audio language players start with ("defaultAudioLanguage": "fr"), instead of a track's "default".</summary>
    public string? DefaultAudioLanguage { get; init; }

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Candidates for "clip.mp4": "clip.mp4.json", then "clip.json".</summary>
    public static IEnumerable<string> PathsFor(string mediaPath)
    {
        yield return mediaPath + ".json";
        yield return Path.Combine(Path.GetDirectoryName(mediaPath)!, Path.GetFileNameWithoutExtension(mediaPath) + ".json");
    }

    /// <summary>Reads and parses a sidecar the farm has moved into its processing folder; never follows, blocks or over-reads.</summary>
    public static async Task<(Sidecar? Sidecar, string? Error)> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var (json, refusal) = await UntrustedFile.ReadSmallTextAsync(path, MaxBytes, cancellationToken);
        return json is null ? (null, "the sidecar is refused: " + refusal) : Parse(json);
    }

    /// <summary>A file a sidecar names must be a plain name in the sidecar's own folder: no path, no "." or "..".</summary>
    public static bool IsBareName(string? name) =>
        !string.IsNullOrEmpty(name) && name is not ("." or "..") && name.Length <= 255 && name.IndexOfAny(['/', '\0']) < 0;

    public static (Sidecar? Sidecar, string? Error) Parse(string json)
    {
        try
        {
            var s = JsonSerializer.Deserialize<Sidecar>(json, Options);
            if (s?.Priority is < -100 or > 100)
            {
                return (null, "sidecar priority must be between -100 and 100");
            }

            if (s?.Drm?.Validate() is { } drmProblem)
            {
                return (null, "sidecar " + drmProblem);
            }

            if (s is not null && Core.Planning.AudioOverrides.Validate(s.Audio, s.DefaultAudioLanguage) is [var audioProblem, ..])
            {
                return (null, "sidecar " + audioProblem);
            }

            if (SidecarSubtitle.Validate(s?.Subtitles) is { } subtitleProblem)
            {
                return (null, "sidecar " + subtitleProblem);
            }

            return (s ?? new Sidecar(null, null, null), null);
        }
        catch (JsonException ex) when (ex.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return (null, $"the sidecar has an unknown field '{FieldName(ex.Path)}' (known: profile, priority, title, drm, requireToken, subtitles, audio, defaultAudioLanguage; in audio: track, language, name, default, description)");
        }
        catch (JsonException ex)
        {
            return (null, "the sidecar JSON is invalid: " + ex.Message);
        }
    }

    /// <summary>"$.drm.foo" → "drm.foo"; "$['a b']" → "a b".</summary>
    private static string FieldName(string? path) =>
        (path ?? "?").TrimStart('$').TrimStart('.').Replace("['", "", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal);
}
