namespace TranscodeFarm.Core.Drm;

public enum DrmSystem
{
    ClearKey,
    Widevine,
    PlayReady,
    FairPlay,
}

/// <summary>
/// DRM system IDs (the SystemID of a pssh box, CPIX DRMSystem@systemId, DASH ContentProtection@schemeIdUri "urn:uuid:...")
/// and the names operators type in configuration.
/// </summary>
public static class DrmSystems
{
    /// <summary>W3C Common PSSH box format, used by ClearKey (DASH-IF).</summary>
    public static readonly Guid ClearKeyId = new("1077efec-c0b2-4d02-ace3-3c1e52e2fb4b");
    public static readonly Guid WidevineId = new("edef8ba9-79d6-4ace-a3c8-27dcd51d21ed");
    public static readonly Guid PlayReadyId = new("9a04f079-9840-4286-ab92-e65be0885f95");
    public static readonly Guid FairPlayId = new("94ce86fb-07ff-4f43-adb8-93d2fa968ca2");

    public static IReadOnlyList<DrmSystem> All { get; } = [DrmSystem.ClearKey, DrmSystem.Widevine, DrmSystem.PlayReady, DrmSystem.FairPlay];

    public static Guid SystemId(this DrmSystem system) => system switch
    {
        DrmSystem.ClearKey => ClearKeyId,
        DrmSystem.Widevine => WidevineId,
        DrmSystem.PlayReady => PlayReadyId,
        DrmSystem.FairPlay => FairPlayId,
        _ => throw new ArgumentOutOfRangeException(nameof(system), system, "unknown DRM system"),
    };

    public static string Name(this DrmSystem system) => system switch
    {
        DrmSystem.ClearKey => "clearkey",
        DrmSystem.Widevine => "widevine",
        DrmSystem.PlayReady => "playready",
        DrmSystem.FairPlay => "fairplay",
        _ => throw new ArgumentOutOfRangeException(nameof(system), system, "unknown DRM system"),
    };

    /// <summary>Case-insensitive name ("widevine", "PlayReady"); the error lists the names that would work.</summary>
    public static DrmSystem Parse(string? name)
    {
        if (TryParse(name, out var system))
        {
            return system;
        }

        var shown = name is null ? "(none)" : $"'{Truncate(name.Trim(), 40)}'";
        throw new FormatException($"unknown DRM system {shown}; valid names: {string.Join(", ", All.Select(Name))}");
    }

    public static bool TryParse(string? name, out DrmSystem system)
    {
        var trimmed = name?.Trim();
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name(), trimmed, StringComparison.OrdinalIgnoreCase))
            {
                system = candidate;
                return true;
            }
        }

        system = default;
        return false;
    }

    public static bool TryFromSystemId(Guid systemId, out DrmSystem system)
    {
        foreach (var candidate in All)
        {
            if (candidate.SystemId() == systemId)
            {
                system = candidate;
                return true;
            }
        }

        system = default;
        return false;
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "...";
}
