using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using TranscodeFarm.Storage;

namespace TranscodeFarm.IntegrationTests.Infrastructure;

/// <summary>An object store in memory, for tests of pure logic around a store (what goes up, under which key, what is deleted).</summary>
public sealed class MemoryObjectStore : IObjectStore
{
    private readonly ConcurrentDictionary<string, (byte[] Bytes, ObjectInfo Info)> _objects = new(StringComparer.Ordinal);

    /// <summary>Runs before every put (a test makes it wait, or throw).</summary>
    public Func<string, CancellationToken, Task> BeforePut { get; set; } = (_, _) => Task.CompletedTask;

    public string Describe => "memory://";

    public IReadOnlyCollection<string> Keys => _objects.Keys.Order(StringComparer.Ordinal).ToList();

    public ObjectInfo Info(string key) => _objects[key].Info;

    public byte[] Bytes(string key) => _objects[key].Bytes;

    public async Task<ObjectInfo> PutAsync(string key, Stream content, ObjectProperties properties, CancellationToken cancellationToken)
    {
        await BeforePut(key, cancellationToken);
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        var info = new ObjectInfo(key, copy.Length, Guid.NewGuid().ToString("N"), properties.ContentType, properties.CacheControl, DateTimeOffset.UnixEpoch);
        _objects[key] = (copy.ToArray(), info);
        return info;
    }

    public Task<ObjectContent?> GetAsync(string key, ByteRange? range, CancellationToken cancellationToken) =>
        Task.FromResult(_objects.TryGetValue(key, out var o) ? new ObjectContent(o.Info, new MemoryStream(o.Bytes, writable: false), null) : null);

    public Task<ObjectInfo?> HeadAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(_objects.TryGetValue(key, out var o) ? o.Info : null);

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var key in Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            await Task.Yield();
            yield return _objects[key].Info;
        }
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken) => Task.FromResult(_objects.TryRemove(key, out _));
}
