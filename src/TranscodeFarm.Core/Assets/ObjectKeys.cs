namespace TranscodeFarm.Core.Assets;

/// <summary>
/// Rules for object keys and asset paths. A key is '/'-separated segments of [A-Za-z0-9._-], none of which
/// is "." or "..": nothing a client sends can name a file outside the store.
/// The key space under the store's prefix: "&lt;asset&gt;/..." for assets (an asset id is a job id, 12 lowercase hex
/// characters) and "sources/&lt;sha256&gt;" for sources uploaded by `submit` (<see cref="Jobs.SubmittedSource"/>), which no
/// edge serves: the edge serves only assets the job database knows as published.
/// </summary>
public static class ObjectKeys
{
    public const int MaxLength = 512;

    /// <summary>
    /// The farm's own objects (write probes of <c>/healthz</c> and <c>store init</c>), never an asset: asset IDs are hex job
    /// IDs, the edge refuses this prefix and the <c>assets</c> commands never touch it. A key may not start with '.', so
    /// the prefix starts with '_'.
    /// </summary>
    public const string ReservedPrefix = "_farm/";

    public static bool IsReserved(string key) => key.StartsWith(ReservedPrefix, StringComparison.Ordinal) || key == ReservedPrefix[..^1];

    /// <summary>A probe key under <see cref="ReservedPrefix"/>: "_farm/{purpose}/{name}", with every character of
    /// <paramref name="name"/> outside the key alphabet (a host name, say) replaced by '-'.</summary>
    public static string Reserved(string purpose, string name)
    {
        var safe = new string(name.Select(c => IsSafeChar(c) ? c : '-').ToArray()).TrimStart('.');
        return $"{ReservedPrefix}{purpose}/{(safe.Length == 0 ? "probe" : safe[..Math.Min(safe.Length, 200)])}";
    }

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

    /// <summary>An attempt's object: "{asset}/g{generation}/{file}" (generation 0: the asset's root, the layout before
    /// generations).</summary>
    public static string ForGeneration(string assetId, int generation, string fileName) => $"{GenerationPrefix(assetId, generation)}/{fileName}";

    public static string GenerationPrefix(string assetId, int generation) =>
        generation <= 0 ? assetId : $"{assetId}/{GenerationFolder(generation)}";

    /// <summary>"g7": the folder, under its asset, of one attempt's objects; also the prefix root manifests put on every URI.</summary>
    public static string GenerationFolder(int generation) => "g" + generation.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A generation's objects never change (a new attempt is a new generation); only manifests outside one (an
    /// asset's root manifests, as a child edge caches them) are replaced by a re-publish.</summary>
    public static bool IsMutable(string key) =>
        Ffmpeg.OutputLayout.IsManifest(key) && !(key.Split('/') is [_, var folder, _] && TryParseGenerationFolder(folder, out _));

    /// <summary>Reads the generation of "g7" (a key's second segment); false for anything else, "g0" and leading zeros included.</summary>
    public static bool TryParseGenerationFolder(ReadOnlySpan<char> segment, out int generation)
    {
        generation = 0;
        return segment.Length >= 2 && segment[0] == 'g' && segment[1] is >= '1' and <= '9'
            && int.TryParse(segment[1..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out generation);
    }

    private static bool IsSafeChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';
}
