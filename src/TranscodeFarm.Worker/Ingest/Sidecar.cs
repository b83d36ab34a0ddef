using System.Text.Json;

namespace TranscodeFarm.Worker.Ingest;

/// <summary>
/// Optional "&lt;name&gt;.json" next to a dropped file:
/// {"profile": "...", "priority": 5, "title": "...", "drm": {"scheme": "cbcs", "systems": ["widevine", "clearkey"]}, "requireToken": true}.
/// </summary>
public sealed record Sidecar(string? Profile, int? Priority, string? Title, Core.Drm.DrmSettings? Drm = null, bool RequireToken = false)
{
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

            return (s ?? new Sidecar(null, null, null), null);
        }
        catch (JsonException ex)
        {
            return (null, "the sidecar JSON is invalid: " + ex.Message);
        }
    }
}
