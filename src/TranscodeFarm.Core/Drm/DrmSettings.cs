namespace TranscodeFarm.Core.Drm;

/// <summary>
/// A job's (or a profile's default) protection: <c>"drm": {"scheme": "cbcs", "systems": ["widevine", "clearkey"]}</c>.
/// </summary>
public sealed record DrmSettings
{
    public static readonly IReadOnlyList<string> Schemes = ["none", "cenc", "cbcs", "aes-128"];

    /// <summary>No protection.</summary>
    public static readonly DrmSettings Clear = new() { Scheme = "none", Systems = [] };

    /// <summary>"cenc" or "cbcs" (CENC, HLS and DASH), "aes-128" (legacy whole-segment HLS only), or "none".</summary>
    public string Scheme { get; init; } = "cbcs";

    /// <summary>DRM systems to signal: clearkey, widevine, playready (PSSH from CPIX), fairplay (cbcs, HLS).</summary>
    public IReadOnlyList<string> Systems { get; init; } = ["clearkey"];

    /// <summary>Separate keys for audio, SD and HD video instead of one key per asset.</summary>
    public bool SeparateKeys { get; init; }

    /// <summary>Use keys imported from a CPIX document (its content id) instead of generating them.</summary>
    public string? KeySet { get; init; }

    /// <summary>Segments starting in the first N seconds stay clear (fast start before the license arrives).</summary>
    public double ClearLeadSeconds { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool Encrypts => Scheme != "none";

    /// <summary>Null when valid, otherwise what to fix, naming the field.</summary>
    public string? Validate()
    {
        if (!Schemes.Contains(Scheme))
        {
            return $"drm.scheme '{Scheme}' is not one of {string.Join(", ", Schemes)}";
        }

        foreach (var s in Systems)
        {
            if (!DrmSystems.TryParse(s, out var system))
            {
                return $"drm.systems: '{s}' is not one of clearkey, widevine, playready, fairplay";
            }

            if (system == DrmSystem.FairPlay && Scheme != "cbcs")
            {
                return "drm.systems: fairplay needs drm.scheme \"cbcs\"";
            }
        }

        if (ClearLeadSeconds is < 0 or > 600)
        {
            return "drm.clearLeadSeconds must be between 0 and 600";
        }

        return Scheme is "cenc" or "cbcs" && Systems.Count == 0 ? "drm.systems must name at least one DRM system" : null;
    }
}
