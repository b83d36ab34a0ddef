using Microsoft.Extensions.Options;

namespace TranscodeFarm.Edge;

public sealed class EdgeOptions
{
    public const string Section = "Edge";

    /// <summary>Where the edge (and the farm's /metrics and /healthz) listens. Loopback by default.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Memory the edge may use for cached objects.</summary>
    public long CacheBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Larger objects are streamed from the store instead of cached.</summary>
    public long MaxCachedObjectBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>How long a cached manifest is trusted before the store is asked again.</summary>
    public TimeSpan ManifestTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Bearer token the match API (/api/match) asks for. Empty: the API answers loopback clients only, since
    /// a match decodes an uploaded file and reveals the catalog.</summary>
    public string MatchApiToken { get; set; } = "";

    /// <summary>Largest file /api/match accepts.</summary>
    public long MaxMatchUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;
}

public sealed class EdgeOptionsValidator : IValidateOptions<EdgeOptions>
{
    public ValidateOptionsResult Validate(string? name, EdgeOptions o)
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(o.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors.Add($"Edge:Url must be an absolute http(s) URL such as http://127.0.0.1:8080 (got '{o.Url}')");
        }

        if (o.CacheBytes < 0)
        {
            errors.Add($"Edge:CacheBytes must not be negative (got {o.CacheBytes})");
        }

        if (o.MaxCachedObjectBytes < 0 || o.MaxCachedObjectBytes > o.CacheBytes)
        {
            errors.Add($"Edge:MaxCachedObjectBytes must be between 0 and Edge:CacheBytes (got {o.MaxCachedObjectBytes})");
        }

        if (o.MaxMatchUploadBytes < 1)
        {
            errors.Add($"Edge:MaxMatchUploadBytes must be positive (got {o.MaxMatchUploadBytes})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
