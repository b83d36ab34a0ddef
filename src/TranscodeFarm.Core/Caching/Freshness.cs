namespace TranscodeFarm.Core.Caching;

public enum FreshnessState
{
    /// <summary>Serve from cache.</summary>
    Fresh,
    /// <summary>Serve from cache now and refresh it in the background (stale-while-revalidate).</summary>
    StaleRevalidate,
    /// <summary>Ask the origin first; the cached copy is only a fallback while the origin fails (stale-if-error).</summary>
    Expired,
}

/// <summary>
/// How long an edge trusts a cached object (RFC 5861 semantics). Immutable objects (segments, init segments) are fresh
/// until purged; mutable ones (manifests) for <see cref="Ttl"/>, then served stale for <see cref="StaleWhileRevalidate"/>
/// while one background request refreshes them, and up to <see cref="StaleIfError"/> past the TTL while the origin fails.
/// </summary>
public sealed record Freshness(TimeSpan Ttl, TimeSpan StaleWhileRevalidate, TimeSpan StaleIfError)
{
    public FreshnessState Judge(TimeSpan age, bool mutable) =>
        !mutable || age < Ttl ? FreshnessState.Fresh
        : age < Ttl + StaleWhileRevalidate ? FreshnessState.StaleRevalidate
        : FreshnessState.Expired;

    /// <summary>With the origin failing or timing out: may this copy still be served?</summary>
    public bool MayServeOnError(TimeSpan age, bool mutable) => !mutable || age < Ttl + StaleIfError;
}
