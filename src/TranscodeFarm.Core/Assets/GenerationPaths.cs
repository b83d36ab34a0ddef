namespace TranscodeFarm.Core.Assets;

/// <summary>How the edge maps the public paths of an asset onto its generations in the store (decision 017).</summary>
public static class GenerationPaths
{
    /// <summary>
    /// Where a public path is in the store, by the asset directory: the root manifests ("asset/master.m3u8") are the
    /// published generation's ("asset/g7/master.m3u8", served with its URIs led into "g7/"); objects of that generation or
    /// an older one (players mid-session, until maintenance deletes it) are themselves. Null for a newer generation (an
    /// attempt not approved, or still encoding). Generation 0 is the layout before generations: everything at the root.
    /// </summary>
    public static string? StoredKey(string key, string assetId, int published)
    {
        var rest = key.AsSpan(assetId.Length + 1);
        var slash = rest.IndexOf('/');
        if (slash < 0)
        {
            return published > 0 && IsTop(rest) ? ObjectKeys.ForGeneration(assetId, published, rest.ToString()) : key;
        }

        if (!ObjectKeys.TryParseGenerationFolder(rest[..slash], out var generation))
        {
            return key;
        }

        return generation <= published ? key : null;
    }

    private static bool IsTop(ReadOnlySpan<char> file) => file.SequenceEqual(Ffmpeg.OutputLayout.HlsMaster) || file.SequenceEqual(Ffmpeg.OutputLayout.DashManifest);
}
