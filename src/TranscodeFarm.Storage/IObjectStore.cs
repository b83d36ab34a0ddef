namespace TranscodeFarm.Storage;

/// <summary>
/// Where packaged assets live: a filesystem folder in embedded mode, an S3-compatible bucket in a farm.
/// Keys are '/'-separated (see <see cref="Core.Assets.ObjectKeys"/>). Each put is atomic: a reader sees the
/// whole old object, the whole new one, or nothing, never a partial write. Asset-level visibility comes from
/// publishing manifests last.
/// </summary>
public interface IObjectStore
{
    /// <summary>Short description for logs, without credentials.</summary>
    string Describe { get; }

    Task<ObjectInfo> PutAsync(string key, Stream content, ObjectProperties properties, CancellationToken cancellationToken);

    /// <summary>Opens an object, or a byte range of it; null when it does not exist.</summary>
    Task<ObjectContent?> GetAsync(string key, ByteRange? range, CancellationToken cancellationToken);

    Task<ObjectInfo?> HeadAsync(string key, CancellationToken cancellationToken);

    IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Deletes an object; false when there was nothing to delete.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Throws when the store cannot be reached, in one cheap request whatever the store holds (health checks): never a
    /// listing of the whole store, and no retries (a health check reports the state now).
    /// </summary>
    async Task ProbeAsync(CancellationToken cancellationToken) => await HeadAsync(ProbeKey, cancellationToken);

    /// <summary>The key a probe asks for; it need not exist.</summary>
    const string ProbeKey = "healthz-probe";
}

public sealed record ObjectProperties(string ContentType, string CacheControl);

public sealed record ObjectInfo(string Key, long Length, string ETag, string ContentType, string CacheControl, DateTimeOffset LastModified);

/// <summary>An inclusive byte range, already resolved against the object's length.</summary>
public readonly record struct ByteRange(long From, long To)
{
    public long Length => To - From + 1;
}

/// <summary>An open object; the caller disposes it.</summary>
public sealed class ObjectContent(ObjectInfo info, Stream stream, ByteRange? range) : IAsyncDisposable
{
    public ObjectInfo Info { get; } = info;
    public Stream Stream { get; } = stream;
    public ByteRange? Range { get; } = range;

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
