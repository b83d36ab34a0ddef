using Prometheus;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Edge.Origins;

namespace TranscodeFarm.Edge;

/// <summary>
/// What an operator graphs about an edge. Request and byte hit ratios by object type come from
/// <c>transcodefarm_edge_requests_total{type,result}</c> and <c>transcodefarm_edge_bytes_served_total{type,result}</c>
/// (hit and stale are served from cache; miss, coalesced and bypass needed the origin); per asset and rendition in
/// <c>transcodefarm_edge_asset_*</c> with the top Edge:TopAssets assets named and the rest "other".
/// </summary>
public static class EdgeMetrics
{
    private static readonly string[] Kinds = Enum.GetValues<ObjectKind>().Select(k => k.ToString().ToLowerInvariant()).ToArray();

    public static readonly Counter LicenseRequests = Metrics.CreateCounter(
        "transcodefarm_edge_key_requests_total", "Key and license requests by endpoint (key, clearkey, token) and result.", "endpoint", "result");

    public static readonly Counter MatchRequests = Metrics.CreateCounter(
        "transcodefarm_match_requests_total", "Match API requests by result (matched, no_match, refused, bad_request, undecodable)",
        new CounterConfiguration { LabelNames = ["result"] });

    public static readonly Histogram MatchSeconds = Metrics.CreateHistogram(
        "transcodefarm_match_seconds", "Match API time per request, fingerprint extraction of an uploaded file included",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 3, 12) });

    public static readonly Counter Requests = Metrics.CreateCounter(
        "transcodefarm_edge_requests_total",
        "Media requests by object type (manifest, init, segment, other) and result (hit, stale, miss, coalesced, bypass, not_found, refused, error, bad_request).",
        "type", "result");

    public static readonly Counter BytesServed = Metrics.CreateCounter(
        "transcodefarm_edge_bytes_served_total", "Body bytes sent to players (bandwidth), by object type and cache result.", "type", "result");

    public static readonly Gauge HitRatio = Metrics.CreateGauge(
        "transcodefarm_edge_cache_hit_ratio", "Requests served from cache (hit, stale) / requests that needed an object, since start.");

    public static readonly Gauge ByteHitRatio = Metrics.CreateGauge(
        "transcodefarm_edge_cache_byte_hit_ratio", "Bytes served from cache / bytes served, since start.");

    public static readonly Counter AssetRequests = Metrics.CreateCounter(
        "transcodefarm_edge_asset_requests_total", "Media requests per asset (top assets by requests, the rest 'other') and rendition, by hit or miss.",
        "asset", "rendition", "result");

    public static readonly Counter AssetBytes = Metrics.CreateCounter(
        "transcodefarm_edge_asset_bytes_total", "Body bytes sent per asset (top assets, the rest 'other') and rendition, by hit or miss.",
        "asset", "rendition", "result");

    public static readonly Counter OriginFetches = Metrics.CreateCounter(
        "transcodefarm_edge_origin_fetches_total", "Fetches from the origin by object type and result (ok, not_modified, not_found, failed).", "type", "result");

    public static readonly Counter OriginSliceFetches = Metrics.CreateCounter(
        "transcodefarm_edge_origin_slice_fetches_total", "Range requests to the origin for slices of objects too large to cache whole (Edge:SliceBytes).");

    public static readonly Counter OriginErrors = Metrics.CreateCounter(
        "transcodefarm_edge_origin_errors_total", "Failed origin fetches by kind (timeout, unreachable, refused, server_error, protocol, body, truncated).", "kind");

    public static readonly Counter OriginBytes = Metrics.CreateCounter(
        "transcodefarm_edge_origin_bytes_total", "Body bytes read from the origin, by object type.", "type");

    public static readonly Histogram OriginSeconds = Metrics.CreateHistogram(
        "transcodefarm_edge_origin_seconds", "Time until the origin answered (headers), by object type.",
        new HistogramConfiguration { LabelNames = ["type"], Buckets = Histogram.ExponentialBuckets(0.0005, 2.5, 14) });

    public static readonly Counter CoalescedWaiters = Metrics.CreateCounter(
        "transcodefarm_edge_coalesced_waiters_total", "Requests that joined another request's origin fetch instead of making their own.");

    public static readonly Counter StaleResponses = Metrics.CreateCounter(
        "transcodefarm_edge_stale_responses_total", "Responses served past their TTL, by reason (revalidating, origin_error).", "reason");

    public static readonly Counter Evictions = Metrics.CreateCounter(
        "transcodefarm_edge_cache_evictions_total", "Cached objects evicted to make room.");

    public static readonly Counter InFlightRefusals = Metrics.CreateCounter(
        "transcodefarm_edge_inflight_refusals_total", "Misses streamed through unbuffered because Edge:MaxInFlightBytes was reached.");

    public static readonly Counter Purges = Metrics.CreateCounter(
        "transcodefarm_edge_purges_total", "Purges by kind (generation: an asset changed in the job database; asset, path, prefix: the admin API).", "kind");

    public static readonly Counter ControlRefusals = Metrics.CreateCounter(
        "transcodefarm_edge_control_refusals_total", "Requests to /admin, /api refused before any endpoint by reason (host: not in Edge:AllowedHosts; cross_site).", "reason");

    public static readonly Gauge CacheBytes = Metrics.CreateGauge(
        "transcodefarm_edge_cache_bytes", "Bytes held in the edge cache.");

    public static readonly Gauge CacheObjects = Metrics.CreateGauge(
        "transcodefarm_edge_cache_objects", "Objects held in the edge cache.");

    public static readonly Gauge PoolBytes = Metrics.CreateGauge(
        "transcodefarm_edge_pool_bytes", "Bytes of free body chunks the edge keeps for its next fetches (bounded by Edge:CacheBytes + Edge:MaxInFlightBytes).");

    public static readonly Gauge BodyBytes = Metrics.CreateGauge(
        "transcodefarm_edge_body_bytes", "Bytes of pooled chunks holding object bodies: cached, being fetched, or still being sent after eviction.");

    // Per tier (memory, disk), beside the totals above: a disk hit is also a "hit" in transcodefarm_edge_requests_total.
    public static readonly Counter TierHits = Metrics.CreateCounter(
        "transcodefarm_edge_cache_tier_hits_total", "Lookups that found the object, by cache tier (memory, disk).", "tier");

    public static readonly Counter TierMisses = Metrics.CreateCounter(
        "transcodefarm_edge_cache_tier_misses_total", "Lookups that did not find the object (or found a bad disk file), by cache tier.", "tier");

    public static readonly Counter TierEvictions = Metrics.CreateCounter(
        "transcodefarm_edge_cache_tier_evictions_total", "Objects evicted to make room, by cache tier.", "tier");

    public static readonly Gauge TierBytes = Metrics.CreateGauge(
        "transcodefarm_edge_cache_tier_bytes", "Bytes held, by cache tier (disk: files, headers included).", "tier");

    public static readonly Counter DiskRejected = Metrics.CreateCounter(
        "transcodefarm_edge_disk_cache_rejected_total", "Disk cache files refused and deleted, by reason (header, length, checksum, not_regular, io).", "reason");

    public static readonly Counter DiskWrites = Metrics.CreateCounter(
        "transcodefarm_edge_disk_cache_writes_total", "Disk cache writes by result (ok, refused, purged, failed).", "result");

    private static long _servedFromCache;
    private static long _served;
    private static long _bytesFromCache;
    private static long _bytes;

    public static string KindLabel(ObjectKind kind) => Kinds[(int)kind];

    /// <summary>The counters behind the hit ratios, since start: the web console's traffic charts sample them.</summary>
    public static EdgeTotals Totals() => new(
        Interlocked.Read(ref _served), Interlocked.Read(ref _servedFromCache), Interlocked.Read(ref _bytes), Interlocked.Read(ref _bytesFromCache));

    /// <summary>Counts one media response; <paramref name="fromCache"/> for hit and stale.</summary>
    public static void Record(ObjectKind kind, string result, long bytes, bool? fromCache)
    {
        var type = KindLabel(kind);
        Requests.WithLabels(type, result).Inc();
        BytesServed.WithLabels(type, result).Inc(bytes);
        if (fromCache is not { } cached)
        {
            return;
        }

        var served = Interlocked.Increment(ref _served);
        var total = Interlocked.Add(ref _bytes, bytes);
        var hits = cached ? Interlocked.Increment(ref _servedFromCache) : Interlocked.Read(ref _servedFromCache);
        var hitBytes = cached ? Interlocked.Add(ref _bytesFromCache, bytes) : Interlocked.Read(ref _bytesFromCache);
        HitRatio.Set((double)hits / served);
        if (total > 0)
        {
            ByteHitRatio.Set((double)hitBytes / total);
        }
    }

    public static void TierLookup(string tier, bool hit) => (hit ? TierHits : TierMisses).WithLabels(tier).Inc();

    public static void OriginFetched(ObjectKind kind, OriginStatus status, OriginError error, double seconds)
    {
        var type = KindLabel(kind);
        OriginFetches.WithLabels(type, status switch
        {
            OriginStatus.Ok => "ok",
            OriginStatus.NotModified => "not_modified",
            OriginStatus.NotFound => "not_found",
            _ => "failed",
        }).Inc();
        OriginSeconds.WithLabels(type).Observe(seconds);
        if (status == OriginStatus.Failed)
        {
            OriginErrors.WithLabels(error switch
            {
                OriginError.Timeout => "timeout",
                OriginError.Unreachable => "unreachable",
                OriginError.Refused => "refused",
                OriginError.ServerError => "server_error",
                _ => "protocol",
            }).Inc();
        }
    }
}

/// <summary>Media responses that needed an object, and their body bytes: all of them, and those served from cache.</summary>
public readonly record struct EdgeTotals(long Requests, long RequestsFromCache, long Bytes, long BytesFromCache);
