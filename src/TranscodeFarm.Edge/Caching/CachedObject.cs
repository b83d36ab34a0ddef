using System.Globalization;
using TranscodeFarm.Core.Caching;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Edge.Caching;

/// <summary>
/// A whole object in the edge's memory, with its response headers formatted once. The cache holds one reference to
/// <see cref="Data"/> (released when the entry leaves the LRU); a request that serves it holds its own, from
/// <see cref="EdgeCache.Peek"/> until it has written the body.
/// </summary>
public sealed class CachedObject(PooledBody data, ObjectInfo info, bool mutable, long storedAt)
{
    private long _storedAt = storedAt;

    public PooledBody Data { get; } = data;
    public ObjectInfo Info { get; } = info;

    /// <summary>Manifests change (re-publish); segments never do: only mutable objects expire.</summary>
    public bool Mutable { get; } = mutable;

    public string LastModified { get; } = info.LastModified.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>When the object was fetched or last confirmed unchanged (a <see cref="TimeProvider"/> timestamp).</summary>
    public long StoredAt => Volatile.Read(ref _storedAt);

    /// <summary>The origin said 304: the copy is fresh again.</summary>
    public void Confirm(long now) => Volatile.Write(ref _storedAt, now);
}
