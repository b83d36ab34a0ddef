using Prometheus;

namespace TranscodeFarm.Edge;

public static class EdgeMetrics
{
    public static readonly Counter LicenseRequests = Metrics.CreateCounter(
        "transcodefarm_edge_key_requests_total", "Key and license requests by endpoint (key, clearkey, token) and result.", "endpoint", "result");

    public static readonly Counter MatchRequests = Metrics.CreateCounter(
        "transcodefarm_match_requests_total", "Match API requests by result (matched, no_match, refused, bad_request, undecodable)",
        new CounterConfiguration { LabelNames = ["result"] });

    public static readonly Histogram MatchSeconds = Metrics.CreateHistogram(
        "transcodefarm_match_seconds", "Match API time per request, fingerprint extraction of an uploaded file included",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 3, 12) });

    public static readonly Counter Requests = Metrics.CreateCounter(
        "transcodefarm_edge_requests_total", "Edge requests for assets, by cache result (hit, miss, bypass, not_found).", "result");

    public static readonly Counter BytesServed = Metrics.CreateCounter(
        "transcodefarm_edge_bytes_served_total", "Bytes sent to players, by cache result.", "result");

    public static readonly Gauge HitRatio = Metrics.CreateGauge(
        "transcodefarm_edge_cache_hit_ratio", "Cache hits / (hits + misses) since start.");

    public static readonly Gauge CacheBytes = Metrics.CreateGauge(
        "transcodefarm_edge_cache_bytes", "Bytes held in the edge cache.");

    public static readonly Gauge CacheObjects = Metrics.CreateGauge(
        "transcodefarm_edge_cache_objects", "Objects held in the edge cache.");

    public static void Record(string result, long bytes)
    {
        Requests.WithLabels(result).Inc();
        BytesServed.WithLabels(result).Inc(bytes);
        var hits = Requests.WithLabels("hit").Value;
        var misses = Requests.WithLabels("miss").Value;
        if (hits + misses > 0)
        {
            HitRatio.Set(hits / (hits + misses));
        }
    }
}
