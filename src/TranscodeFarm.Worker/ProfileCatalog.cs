using TranscodeFarm.Core.Profiles;

namespace TranscodeFarm.Worker;

/// <summary>The ladder profiles found in the profiles folder, loaded and validated once at start.</summary>
public sealed class ProfileCatalog
{
    private readonly Dictionary<string, LadderProfile> _profiles;

    private ProfileCatalog(string directory, Dictionary<string, LadderProfile> profiles)
    {
        Directory = directory;
        _profiles = profiles;
    }

    public string Directory { get; }
    public IReadOnlyCollection<LadderProfile> All => _profiles.Values;

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "ffmpeg-profiles");

    /// <summary>Loads every *.json profile; throws with every problem listed if any file is invalid.</summary>
    public static ProfileCatalog Load(string directory)
    {
        var dir = string.IsNullOrEmpty(directory) ? DefaultDirectory : Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(dir))
        {
            throw new InvalidOperationException($"Farm:ProfilesDirectory '{dir}' does not exist");
        }

        var profiles = new Dictionary<string, LadderProfile>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var file in System.IO.Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            var result = ProfileParser.Parse(File.ReadAllText(file), Path.GetFileName(file));
            if (!result.IsValid)
            {
                errors.AddRange(result.Errors);
            }
            else if (!profiles.TryAdd(result.Profile!.Name, result.Profile))
            {
                errors.Add($"{Path.GetFileName(file)}: profile name '{result.Profile.Name}' is defined twice");
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("invalid profiles in " + dir + ":\n  " + string.Join("\n  ", errors));
        }

        return new ProfileCatalog(dir, profiles);
    }

    public LadderProfile? Find(string name) => _profiles.GetValueOrDefault(name);

    /// <summary>The capability a job with this profile needs from its worker (see <see cref="ProfileCapabilities"/>).</summary>
    public string? RequiredCapability(string name) => Find(name) is { } profile ? ProfileCapabilities.Required(profile) : null;

    public string Names => string.Join(", ", _profiles.Keys.Order(StringComparer.Ordinal));
}
