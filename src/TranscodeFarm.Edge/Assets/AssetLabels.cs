using Prometheus;
using TranscodeFarm.Core.Caching;

namespace TranscodeFarm.Edge.Assets;

/// <summary>
/// Per-asset and per-rendition metrics with bounded cardinality: the <c>topAssets</c> most requested assets (recently,
/// re-ranked every <see cref="RefreshEvery"/>, every second while the top is not full) get their own series, every other asset counts as "other"; an asset that
/// falls out of the top loses its series.
/// </summary>
public sealed class AssetLabels(int topAssets, TimeProvider time)
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(15);
    private readonly BoundedLabels _labels = new(Math.Max(1, topAssets));
    private long _lastRefresh;
    private int _refreshing;

    public void Record(string assetId, string rendition, bool fromCache, long bytes)
    {
        if (topAssets == 0)
        {
            Count(BoundedLabels.Other, rendition, fromCache, bytes);
            return;
        }

        _labels.Observe(assetId);
        var every = _labels.Current.Count < _labels.K ? TimeSpan.FromSeconds(1) : RefreshEvery;
        if (time.GetElapsedTime(Interlocked.Read(ref _lastRefresh)) >= every && Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            try
            {
                Interlocked.Exchange(ref _lastRefresh, time.GetTimestamp());
                foreach (var left in _labels.Refresh())
                {
                    Forget(left);
                }
            }
            finally
            {
                Volatile.Write(ref _refreshing, 0);
            }
        }

        Count(_labels.Label(assetId), rendition, fromCache, bytes);
    }

    private static void Count(string asset, string rendition, bool fromCache, long bytes)
    {
        var result = fromCache ? "hit" : "miss";
        EdgeMetrics.AssetRequests.WithLabels(asset, rendition, result).Inc();
        EdgeMetrics.AssetBytes.WithLabels(asset, rendition, result).Inc(bytes);
    }

    private static void Forget(string asset)
    {
        foreach (var counter in new[] { EdgeMetrics.AssetRequests, EdgeMetrics.AssetBytes })
        {
            foreach (var labels in counter.GetAllLabelValues().Where(l => l[0] == asset).ToList())
            {
                counter.RemoveLabelled(labels);
            }
        }
    }
}
