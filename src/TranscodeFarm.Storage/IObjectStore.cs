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

    /// <summary>
    /// Creates what holds the objects (an S3 bucket) when it is missing; true when it was created, false when it was there.
    /// Stores with nothing to create answer false.
    /// </summary>
    Task<bool> CreateBucketAsync(CancellationToken cancellationToken) => Task.FromResult(false);

    /// <summary>The key a probe asks for; it need not exist.</summary>
    const string ProbeKey = "healthz-probe";

    /// <summary>
    /// Copies an object inside the store (S3: server-side, in parts above the single-copy limit), keeping its content
    /// type and cache-control. Null when the source does not exist or, with <paramref name="sourceETag"/>, no longer has
    /// that ETag (the producer replaced it). The default reads and writes the bytes through this store.
    /// </summary>
    async Task<ObjectInfo?> CopyAsync(string sourceKey, string destinationKey, string? sourceETag, CancellationToken cancellationToken)
    {
        await using var source = await GetAsync(sourceKey, null, cancellationToken);
        if (source is null || (sourceETag is not null && !ObjectETags.Same(source.Info.ETag, sourceETag)))
        {
            return null;
        }

        return await PutAsync(destinationKey, source.Stream, new ObjectProperties(source.Info.ContentType, source.Info.CacheControl), cancellationToken);
    }

    /// <summary>Objects directly under <paramref name="prefix"/> (not in its sub-folders). The default filters a full listing.</summary>
    async IAsyncEnumerable<ObjectInfo> ListChildrenAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var o in ListAsync(prefix, cancellationToken))
        {
            if (o.Key.IndexOf('/', prefix.Length) < 0)
            {
                yield return o;
            }
        }
    }
}

/// <summary>ETags as servers write them: quoted or not, compared without the quotes.</summary>
public static class ObjectETags
{
    public static bool Same(string? a, string? b) => string.Equals(a?.Trim('"'), b?.Trim('"'), StringComparison.OrdinalIgnoreCase);
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
