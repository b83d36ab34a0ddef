using Microsoft.Extensions.Options;

namespace TranscodeFarm.Edge;

public sealed class EdgeOptions
{
    public const string Section = "Edge";

    /// <summary>Where the edge (and the farm's /metrics and /healthz) listens. Loopback by default.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The URL players and operators reach the edge at (a load balancer, a DNS name), printed by the CLI in player
    /// URLs (submit --wait, jobs show, token, demo). Empty: derived from <see cref="Url"/>.</summary>
    public string PublicUrl { get; set; } = "";

    /// <summary>Memory the edge may use for cached objects.</summary>
    public long CacheBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Which objects the memory cache keeps: s3fifo (default: the best byte hit ratio in the trace replay of
    /// decision 025, never below LRU), lru or wtinylfu.</summary>
    public string CachePolicy { get; set; } = "s3fifo";

    /// <summary>A directory for the disk tier (decision 026): immutable objects the memory cache kept are also written
    /// there and survive a restart. Empty (default): no disk tier.</summary>
    public string DiskCacheDirectory { get; set; } = "";

    /// <summary>Disk the disk tier may use (files, headers included), kept by Edge:CachePolicy.</summary>
    public long DiskCacheBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>Larger objects are cached in slices of Edge:SliceBytes instead of whole.</summary>
    public long MaxCachedObjectBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>An object larger than Edge:MaxCachedObjectBytes is fetched and cached in slices of this size (one origin
    /// Range request each, only those a request covers); never more than Edge:MaxCachedObjectBytes (a smaller limit makes
    /// the slices that size). 0: such objects are streamed from the origin uncached, as before slicing.</summary>
    public long SliceBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>The slice size in effect (see <see cref="SliceBytes"/>); 0 when large objects are not sliced.</summary>
    public long EffectiveSliceBytes => Math.Min(SliceBytes, MaxCachedObjectBytes);

    /// <summary>Bodies being fetched from the origin that may be buffered at once (shared by all their waiters, and counted
    /// until the last of them is done); past it a miss streams straight through, unbuffered and uncached.</summary>
    public long MaxInFlightBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Empty: the farm's object store (Store:*). Or an HTTP base URL: a parent edge's <c>http://parent:8080/vod/</c> (a
    /// shield tier) or any origin; <c>/vod/KEY</c> is fetched from <c>{Origin}KEY</c>.</summary>
    public string Origin { get; set; } = "";

    /// <summary>How long the edge waits for the origin to answer, and for each read of a body, before it serves stale
    /// content or answers 504. The edge's own deadline, not the worker's retry budget.</summary>
    public TimeSpan OriginTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Shared secret between the edges of one farm: sent to an HTTP origin that is another edge, and accepted from
    /// child edges (which then skip playback tokens and get manifests as stored).</summary>
    public string ShieldCredential { get; set; } = "";

    /// <summary>How long a cached manifest is trusted before the origin is asked again.</summary>
    public TimeSpan ManifestTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>After the TTL, a manifest is still served for this long while one background request refreshes it.</summary>
    public TimeSpan StaleWhileRevalidate { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>After the TTL, a manifest is served for this long while the origin fails or times out.</summary>
    public TimeSpan StaleIfError { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Require a playback token (query <c>token=</c> or cookie <c>tf_token</c>) for every asset's media; assets can
    /// also require one each (submit --require-token).</summary>
    public bool RequireToken { get; set; }

    /// <summary>Bearer token for the control surfaces: /admin/* (purge) and /api/match. Empty: the admin API is refused.</summary>
    public string AdminToken { get; set; } = "";

    /// <summary>Host names the control surfaces (/admin/*, /api/*) answer to, separated by ',' (<c>*</c>: any). Empty: the
    /// host of <see cref="Url"/>, localhost, 127.0.0.1 and [::1]. Media (/vod, /keys, /license) answers any host.</summary>
    public string AllowedHosts { get; set; } = "";

    /// <summary>Opens /api/match to callers without a token (Host and cross-site checks still apply). Logged as a warning at start.</summary>
    public bool OpenMatch { get; set; }

    /// <summary>How often the edge reads asset changes from the job database when no NOTIFY arrives.</summary>
    public TimeSpan AssetPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>An asset the job database does not know is asked for again after this long.</summary>
    public TimeSpan UnknownAssetRecheck { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Assets that get their own label in the per-asset metrics; the rest are counted as "other".</summary>
    public int TopAssets { get; set; } = 20;

    /// <summary>A second bearer token that opens /api/match only (not /admin/*), for a client that should match files but
    /// never purge. /api/match also takes <see cref="AdminToken"/>; with neither (and no <see cref="OpenMatch"/>) it is closed,
    /// since a match decodes an uploaded file and reveals the catalog.</summary>
    public string MatchApiToken { get; set; } = "";

    /// <summary>Largest file /api/match accepts (413 beyond it, before anything is decoded).</summary>
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

        if (PublicUrlProblem(o.PublicUrl) is { } publicUrl)
        {
            errors.Add(publicUrl);
        }

        if (o.CacheBytes < 0)
        {
            errors.Add($"Edge:CacheBytes must not be negative (got {o.CacheBytes})");
        }

        if (!Core.Caching.Policies.CachePolicies.Names.Contains(o.CachePolicy.ToLowerInvariant()))
        {
            errors.Add($"Edge:CachePolicy must be one of {string.Join(", ", Core.Caching.Policies.CachePolicies.Names)} (got '{o.CachePolicy}')");
        }

        if (o.MaxCachedObjectBytes < 0 || o.MaxCachedObjectBytes > o.CacheBytes)
        {
            errors.Add($"Edge:MaxCachedObjectBytes must be between 0 and Edge:CacheBytes (got {o.MaxCachedObjectBytes})");
        }

        if (o.DiskCacheDirectory.Length > 0 && !Path.IsPathFullyQualified(o.DiskCacheDirectory))
        {
            errors.Add($"Edge:DiskCacheDirectory must be empty (no disk tier) or an absolute path (got '{o.DiskCacheDirectory}')");
        }

        if (o.DiskCacheDirectory.Length > 0 && o.DiskCacheBytes < o.MaxCachedObjectBytes)
        {
            errors.Add($"Edge:DiskCacheBytes must be at least Edge:MaxCachedObjectBytes ({o.MaxCachedObjectBytes}) when Edge:DiskCacheDirectory is set (got {o.DiskCacheBytes})");
        }

        if (o.DiskCacheBytes < 0)
        {
            errors.Add($"Edge:DiskCacheBytes must not be negative (got {o.DiskCacheBytes})");
        }

        if (o.SliceBytes < 0)
        {
            errors.Add($"Edge:SliceBytes must not be negative (got {o.SliceBytes}; 0 streams large objects uncached)");
        }

        if (o.MaxInFlightBytes < 0)
        {
            errors.Add($"Edge:MaxInFlightBytes must not be negative (got {o.MaxInFlightBytes})");
        }

        if (o.Origin.Length > 0 && (!Uri.TryCreate(o.Origin, UriKind.Absolute, out var origin) || origin.Scheme is not ("http" or "https") || !o.Origin.EndsWith('/')))
        {
            errors.Add($"Edge:Origin must be empty (the farm's store) or an http(s) URL ending in '/', such as http://parent:8080/vod/ (got '{o.Origin}')");
        }

        foreach (var (setting, value) in new[] { ("OriginTimeout", o.OriginTimeout), ("AssetPollInterval", o.AssetPollInterval) })
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"Edge:{setting} must be positive (got {value})");
            }
        }

        foreach (var (setting, value) in new[] { ("ManifestTtl", o.ManifestTtl), ("StaleWhileRevalidate", o.StaleWhileRevalidate), ("StaleIfError", o.StaleIfError), ("UnknownAssetRecheck", o.UnknownAssetRecheck) })
        {
            if (value < TimeSpan.Zero)
            {
                errors.Add($"Edge:{setting} must not be negative (got {value})");
            }
        }

        if (o.TopAssets is < 0 or > 1000)
        {
            errors.Add($"Edge:TopAssets must be between 0 and 1000 (got {o.TopAssets})");
        }

        if (o.AdminToken.Length is > 0 and < 16)
        {
            errors.Add("Edge:AdminToken must be at least 16 characters");
        }

        if (o.ShieldCredential.Length is > 0 and < 16)
        {
            errors.Add("Edge:ShieldCredential must be at least 16 characters");
        }

        if (o.MatchApiToken.Length is > 0 and < 16)
        {
            errors.Add("Edge:MatchApiToken must be at least 16 characters");
        }

        if (Core.Access.HostAllowList.Invalid(o.AllowedHosts) is { } host)
        {
            errors.Add($"Edge:AllowedHosts must list host names separated by ',' (or '*' for any host); '{host}' is not one");
        }

        if (o.MaxMatchUploadBytes < 1)
        {
            errors.Add($"Edge:MaxMatchUploadBytes must be positive (got {o.MaxMatchUploadBytes})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Why Edge:PublicUrl is not usable, or null (empty is fine: it is derived from Edge:Url).</summary>
    public static string? PublicUrlProblem(string? publicUrl) =>
        string.IsNullOrEmpty(publicUrl) || (Uri.TryCreate(publicUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.UserInfo.Length == 0 && uri.Query.Length == 0)
            ? null
            : $"Edge:PublicUrl must be an absolute http(s) URL without user, password or query, such as https://cdn.example.com (got '{publicUrl}')";

    /// <summary>
    /// The edge's base URL for players, without a trailing '/': Edge:PublicUrl, else Edge:Url, where a wildcard listen
    /// address (0.0.0.0, [::], *, +) becomes this machine's host name.
    /// </summary>
    public static string PublicBase(string? publicUrl, string? url)
    {
        if (!string.IsNullOrEmpty(publicUrl))
        {
            return publicUrl.TrimEnd('/');
        }

        url = string.IsNullOrEmpty(url) ? "http://127.0.0.1:8080" : url;
        var wildcard = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (Uri.TryCreate(wildcard, UriKind.Absolute, out var uri) && (uri.Host is "0.0.0.0" or "[::]" or "::"))
        {
            return new UriBuilder(uri) { Host = System.Net.Dns.GetHostName() }.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        }

        return url.TrimEnd('/');
    }
}
