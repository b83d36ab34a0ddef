namespace TranscodeFarm.Core.Manifests;

public sealed record HlsMasterPlaylist(int? Version, bool IndependentSegments, IReadOnlyList<HlsVariant> Variants, IReadOnlyList<HlsRendition> Media);

public sealed record HlsVariant(string Uri, IReadOnlyDictionary<string, string> Attributes)
{
    public long? Bandwidth => Attributes.TryGetValue("BANDWIDTH", out var b) && long.TryParse(b, out var v) ? v : null;
    public string? Codecs => Attributes.GetValueOrDefault("CODECS");
    public string? Resolution => Attributes.GetValueOrDefault("RESOLUTION");
}

public sealed record HlsRendition(IReadOnlyDictionary<string, string> Attributes)
{
    public string? Uri => Attributes.GetValueOrDefault("URI");
    public string? Type => Attributes.GetValueOrDefault("TYPE");
}

public sealed record HlsMediaPlaylist(
    int? Version,
    int? TargetDuration,
    string? PlaylistType,
    string? MapUri,
    bool EndList,
    IReadOnlyList<HlsSegment> Segments);

public sealed record HlsSegment(string Uri, double Duration);
