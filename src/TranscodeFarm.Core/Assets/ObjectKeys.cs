namespace TranscodeFarm.Core.Assets;

/// <summary>
/// Rules for object keys and asset paths. A key is '/'-separated segments of [A-Za-z0-9._-], none of which
/// is "." or "..": nothing a client sends can name a file outside the store.
/// </summary>
public static class ObjectKeys
{
    public const int MaxLength = 512;

    public static bool IsValid(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaxLength || key[0] == '/' || key[^1] == '/')
        {
            return false;
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment is "." or ".." || segment[0] == '.' || !segment.All(IsSafeChar))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Valid as a prefix for listing: empty, or a valid key optionally ending with '/'.</summary>
    public static bool IsValidPrefix(string prefix) => prefix.Length == 0 || IsValid(prefix.TrimEnd('/'));

    public static string ForAsset(string assetId, string fileName) => $"{assetId}/{fileName}";

    private static bool IsSafeChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';
}
