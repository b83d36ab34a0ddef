using System.Text.RegularExpressions;

namespace TranscodeFarm.Catalog;

/// <summary>Names of fingerprint collections. "assets" holds every asset the farm published; the rest are reference sets.</summary>
public static partial class FingerprintCollections
{
    public const string Assets = "assets";

    /// <summary>Lower-case letters, digits, '-' and '_', up to 64: safe in URLs, metrics and config keys.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    public static string Key(string collection, string entryId) => collection + "/" + entryId;

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex NamePattern();
}
