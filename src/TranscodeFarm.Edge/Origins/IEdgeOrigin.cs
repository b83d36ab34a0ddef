using TranscodeFarm.Storage;

namespace TranscodeFarm.Edge.Origins;

/// <summary>
/// Where the edge gets what it does not have: the farm's object store, or an upstream HTTP server (another edge as a
/// shield tier, or any origin). Expected failures are results, not exceptions: the edge turns them into stale
/// responses or 502/504 within its own timeout.
/// </summary>
public interface IEdgeOrigin
{
    /// <summary>For logs and the start-up line; never credentials.</summary>
    string Describe { get; }

    /// <summary>True when the origin is the farm's store: the edge itself must then check that an asset is published.</summary>
    bool IsFarmStore { get; }

    /// <param name="key">Object key (<c>asset/file</c>), already validated.</param>
    /// <param name="request">Conditions and range to ask for.</param>
    Task<OriginResponse> FetchAsync(string key, OriginRequest request, CancellationToken cancellationToken);
}

/// <param name="IfNoneMatch">The ETag the edge holds: a match answers <see cref="OriginStatus.NotModified"/>.</param>
/// <param name="Range">A byte range of the object (objects too large to cache).</param>
/// <param name="AssetChangeSeq">The asset's change number this edge knows; an upstream edge that knows less catches up first.</param>
public sealed record OriginRequest(string? IfNoneMatch = null, ByteRange? Range = null, long AssetChangeSeq = 0)
{
    public static readonly OriginRequest Whole = new();
}
