using System.Security.Cryptography;
using System.Text.Json;
using TranscodeFarm.Core.Drm;

namespace TranscodeFarm.Keys;

public sealed class DrmOptions
{
    public const string Section = "Drm";

    /// <summary>32 bytes (hex or base64) that encrypt content keys at rest. The same on every worker and edge.</summary>
    public string MasterKey { get; set; } = "";

    /// <summary>32+ bytes (hex or base64) that sign playback tokens for the key and license endpoints.</summary>
    public string TokenSigningKey { get; set; } = "";

    /// <summary>Lifetime of tokens issued by `transcodefarm token` and the demo.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(4);
}

/// <summary>
/// The master key and token signing key. From configuration (Drm:MasterKey, Drm:TokenSigningKey, or the
/// TRANSCODEFARM__Drm__* environment variables); in embedded mode, when not configured, generated once into a
/// file only the owner can read, so the demo needs no setup. Never logged.
/// </summary>
public sealed class DrmSecrets
{
    private readonly DrmOptions _options;
    private readonly string? _generatedFile;
    private readonly Lazy<(byte[] Master, byte[] Signing)> _generated;
    private readonly Lazy<byte[]> _master;
    private readonly Lazy<byte[]> _signing;

    /// <param name="generatedFile">Where embedded mode keeps generated keys; null in a farm (keys must be configured).</param>
    public DrmSecrets(DrmOptions options, string? generatedFile)
    {
        _options = options;
        _generatedFile = generatedFile;
        _generated = new(LoadOrGenerate);
        // Each key is resolved on its own: a worker needs only the master key, an edge both.
        _master = new(() => Resolve(options.MasterKey, "Drm:MasterKey", g => g.Master));
        _signing = new(() => Resolve(options.TokenSigningKey, "Drm:TokenSigningKey", g => g.Signing));
    }

    public byte[] MasterKey => _master.Value;

    public byte[] TokenSigningKey => _signing.Value;

    public TimeSpan TokenLifetime => _options.TokenLifetime;

    private byte[] Resolve(string configured, string setting, Func<(byte[] Master, byte[] Signing), byte[]> pick)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return Parse(configured, setting);
        }

        if (_generatedFile is not null && string.IsNullOrEmpty(_options.MasterKey) && string.IsNullOrEmpty(_options.TokenSigningKey))
        {
            return pick(_generated.Value);
        }

        return Parse(configured, setting); // fails, naming the setting
    }

    private (byte[] Master, byte[] Signing) LoadOrGenerate()
    {
        var generatedFile = _generatedFile!;
        if (File.Exists(generatedFile))
        {
            var saved = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(generatedFile))
                ?? throw new InvalidOperationException($"{generatedFile} is empty");
            return (Convert.FromBase64String(saved["masterKey"]), Convert.FromBase64String(saved["tokenSigningKey"]));
        }

        var keys = (RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        Directory.CreateDirectory(Path.GetDirectoryName(generatedFile)!);
        var json = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["masterKey"] = Convert.ToBase64String(keys.Item1),
            ["tokenSigningKey"] = Convert.ToBase64String(keys.Item2),
        });
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // owner only
        }

        using (var file = new FileStream(generatedFile, fileOptions))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(json);
        }

        return keys;
    }

    private static byte[] Parse(string value, string setting)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new InvalidOperationException($"{setting} must be set to 32 random bytes (hex or base64) for DRM in farm mode: every worker and edge needs the same value");
        }

        try
        {
            return Core.Drm.MasterKey.Parse(value);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"{setting}: {ex.Message}", ex);
        }
    }
}
