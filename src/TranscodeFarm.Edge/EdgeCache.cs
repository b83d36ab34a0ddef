using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Caching;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Edge;

public sealed record CachedObject(byte[] Data, ObjectInfo Info, long CachedAt);

/// <summary>The edge's memory cache of store objects, bounded by bytes; manifests expire after a short TTL.</summary>
public sealed class EdgeCache(IOptions<EdgeOptions> options, TimeProvider time)
{
    private readonly ByteBudgetLruCache<CachedObject> _cache = new(options.Value.CacheBytes);

    public bool TryGet(string key, out CachedObject entry)
    {
        if (_cache.TryGet(key, out entry))
        {
            if (!Core.Ffmpeg.OutputLayout.IsManifest(key) || time.GetElapsedTime(entry.CachedAt) < options.Value.ManifestTtl)
            {
                return true;
            }

            _cache.Remove(key);
        }

        return false;
    }

    public bool ShouldCache(long length) => length <= options.Value.MaxCachedObjectBytes;

    public void Set(string key, byte[] data, ObjectInfo info)
    {
        _cache.Set(key, new CachedObject(data, info, time.GetTimestamp()), data.Length);
        EdgeMetrics.CacheBytes.Set(_cache.SizeBytes);
        EdgeMetrics.CacheObjects.Set(_cache.Count);
    }
}
