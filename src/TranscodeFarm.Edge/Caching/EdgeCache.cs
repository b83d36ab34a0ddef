using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Assets;
using TranscodeFarm.Core.Caching;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Edge.Origins;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Edge.Caching;

/// <summary>
/// The edge's memory cache: whole objects bounded by Edge:CacheBytes, kept by Edge:CachePolicy (S3-FIFO by default,
/// decision 025), and the fetches in flight, one per
/// object however many requests wait on it. In-flight bodies are bounded too (Edge:MaxInFlightBytes): past it a miss
/// streams straight through without buffering, so memory stays within the two budgets.
/// Bodies live in pooled chunks with reference counts (<see cref="PooledBody"/>): an evicted or purged body goes back to
/// the pool when its last reader is done and serves the next fill at once, instead of piling up as large-object garbage
/// that only a full collection would free.
/// </summary>
public sealed partial class EdgeCache
{
    private readonly PolicyCache<CachedObject> _entries;
    private readonly ChunkPool _pool;
    private readonly ConcurrentDictionary<string, ObjectFill> _fills = new(StringComparer.Ordinal);
    /// <summary>Heads of immutable objects too large to cache whole, learnt from one whole fetch: later requests go straight
    /// to their slices. Bounded by count; a forgotten head costs one more whole fetch, opened and dropped unread.</summary>
    private readonly ConcurrentDictionary<string, ObjectInfo> _largeHeads = new(StringComparer.Ordinal);
    private const int MaxLargeHeads = 4096;
    private readonly EdgeOptions _options;
    private readonly IEdgeOrigin _origin;
    private readonly TimeProvider _time;
    private readonly ILogger<EdgeCache> _logger;
    private readonly CancellationToken _stopping;
    private readonly DiskTier? _disk;
    private long _inFlightBytes;

    public EdgeCache(IOptions<EdgeOptions> options, IEdgeOrigin origin, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<EdgeCache> logger)
    {
        _options = options.Value;
        _origin = origin;
        _time = time;
        _logger = logger;
        _stopping = lifetime.ApplicationStopping;
        // The cache's reference to a body goes when its entry leaves, whatever the reason (eviction, refusal, purge).
        _entries = new PolicyCache<CachedObject>(
            evicted => Core.Caching.Policies.CachePolicies.Create(_options.CachePolicy, _options.CacheBytes, evicted)!,
            static (_, entry) => entry.Data.Release());
        // Free chunks beyond what the two budgets can ever fill again would only be memory the edge keeps for nothing.
        _pool = new ChunkPool(ChunkPool.DefaultChunkSize,
            ChunkPool.ChunksFor(_options.CacheBytes + _options.MaxInFlightBytes, ChunkPool.DefaultChunkSize));
        // Read at scrape time: bodies are released by requests long after the cache last changed. One cache per process.
        Prometheus.Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            EdgeMetrics.PoolBytes.Set(_pool.FreeBytes);
            EdgeMetrics.BodyBytes.Set(_pool.RentedChunks * _pool.ChunkSize);
        });
        // Off unless configured (decision 026): then immutable objects also live on disk and survive a restart.
        _disk = _options.DiskCacheDirectory.Length > 0
            ? new DiskTier(_options.DiskCacheDirectory, _options.DiskCacheBytes, _options.MaxCachedObjectBytes, _options.CachePolicy, logger, _stopping)
            : null;
        Freshness = new Freshness(_options.ManifestTtl, _options.StaleWhileRevalidate, _options.StaleIfError);
    }

    public Freshness Freshness { get; }

    public IEdgeOrigin Origin => _origin;

    public long InFlightBytes => Interlocked.Read(ref _inFlightBytes);

    /// <summary>The slice size for objects too large to cache whole; 0 when they are streamed uncached.</summary>
    public long SliceBytes => _options.EffectiveSliceBytes;

    /// <summary>The head of a large object whose slices are cached (learnt from an earlier fetch), or null.</summary>
    public ObjectInfo? LargeHead(string key) => _largeHeads.TryGetValue(key, out var info) ? info : null;

    /// <summary>Whether a cache key is held in memory or on disk, without counting a request.</summary>
    public bool IsResident(string cacheKey) => _entries.Contains(cacheKey) || _disk?.Contains(cacheKey) == true;

    /// <summary>
    /// The cached object with a reference to its body taken for the caller, who must <c>Data.Release()</c> it once;
    /// null on a miss, or when the entry was evicted and its body released between lookup and retain.
    /// </summary>
    public CachedObject? Peek(string key)
    {
        var found = _entries.TryGet(key, out var entry) && entry.Data.TryRetain() ? entry : null;
        EdgeMetrics.TierLookup("memory", found is not null);
        return found;
    }

    public TimeSpan Age(CachedObject entry) => _time.GetElapsedTime(entry.StoredAt);

    /// <summary>
    /// Joins the fetch in flight for <paramref name="key"/>, or starts one (conditional on <paramref name="stale"/>'s ETag).
    /// Started is true for the request that started it. The caller holds a join and must <see cref="ObjectFill.Leave"/> once.
    /// </summary>
    public (ObjectFill Fill, bool Started) Fetch(string key, CachedObject? stale, long assetChangeSeq) =>
        JoinOrStart(key, fill => RunAsync(fill, stale, assetChangeSeq));

    /// <summary>Joins the fill in flight for <paramref name="cacheKey"/>, or starts one with <paramref name="run"/>.</summary>
    private (ObjectFill Fill, bool Started) JoinOrStart(string cacheKey, Func<ObjectFill, Task> run)
    {
        while (true)
        {
            if (_fills.TryGetValue(cacheKey, out var running))
            {
                if (running.TryJoin())
                {
                    EdgeMetrics.CoalescedWaiters.Inc();
                    return (running, false);
                }

                continue; // everyone left it: it is being forgotten; look again
            }

            var fill = new ObjectFill(cacheKey);
            fill.TryJoin(); // the caller's, taken before anyone else can see the fill
            if (_fills.TryAdd(cacheKey, fill))
            {
                _ = run(fill);
                return (fill, true);
            }
        }
    }

    /// <summary>
    /// Like <see cref="Fetch"/> for slice <paramref name="index"/> of the large object <paramref name="head"/> describes:
    /// one Range request, coalesced, cached under the slice's own key in both tiers.
    /// </summary>
    public (ObjectFill Fill, bool Started) FetchSlice(string key, ObjectInfo head, long index, long assetChangeSeq) =>
        JoinOrStart(Slices.KeyOf(key, index), fill => RunAsync(fill, null, assetChangeSeq, SliceOf(head, index)));

    /// <summary>Starts fetching a slice nobody waits for yet (the next one a whole read will want), unless it is held or
    /// already on its way.</summary>
    public void PrefetchSlice(string key, ObjectInfo head, long index, long assetChangeSeq)
    {
        var sliceKey = Slices.KeyOf(key, index);
        if (!IsResident(sliceKey))
        {
            StartUnjoined(sliceKey, fill => RunAsync(fill, null, assetChangeSeq, SliceOf(head, index)));
        }
    }

    private SliceRequest SliceOf(ObjectInfo head, long index)
    {
        var (offset, length) = Slices.Extent(index, head.Length, SliceBytes);
        return new SliceRequest(head, new ByteRange(offset, offset + length - 1));
    }

    /// <summary>A slice to fetch: its bytes of the object, and the head it must still match (same ETag and length).</summary>
    private sealed record SliceRequest(ObjectInfo Head, ByteRange Range);

    /// <summary>
    /// Starts a background refresh of <paramref name="key"/> (conditional on <paramref name="stale"/>'s ETag) unless a fetch
    /// is already in flight; the caller does not wait for it and holds nothing.
    /// </summary>
    public void Refresh(string key, CachedObject stale, long assetChangeSeq) =>
        StartUnjoined(key, fill => RunAsync(fill, stale, assetChangeSeq));

    /// <summary>Starts a fill nobody has joined unless one is in flight for <paramref name="cacheKey"/>; its body goes when
    /// the fill itself leaves (or when requests that joined meanwhile are done).</summary>
    private void StartUnjoined(string cacheKey, Func<ObjectFill, Task> run)
    {
        if (_fills.ContainsKey(cacheKey))
        {
            return;
        }

        var fill = new ObjectFill(cacheKey);
        if (_fills.TryAdd(cacheKey, fill))
        {
            _ = run(fill);
        }
    }

    /// <summary>Drops cached objects (a large object's slices with it) and forgets fetches in flight whose object key
    /// matches; returns the cache entries dropped.</summary>
    public int Purge(Func<string, bool> matchObject)
    {
        bool match(string cacheKey) => matchObject(Slices.ObjectKeyOf(cacheKey));
        foreach (var key in _largeHeads.Keys)
        {
            if (matchObject(key))
            {
                _largeHeads.TryRemove(key, out _);
            }
        }

        foreach (var (key, fill) in _fills)
        {
            if (match(key))
            {
                fill.Discard();
                _fills.TryRemove(new KeyValuePair<string, ObjectFill>(key, fill));
            }
        }

        var dropped = _entries.RemoveWhere(match);
        _disk?.Purge(match);
        UpdateGauges();
        return dropped;
    }

    private async Task RunAsync(ObjectFill fill, CachedObject? stale, long assetChangeSeq, SliceRequest? slice = null)
    {
        var objectKey = Slices.ObjectKeyOf(fill.Key);
        var kind = OutputLayout.Classify(objectKey[(objectKey.LastIndexOf('/') + 1)..]).Kind;
        var started = _time.GetTimestamp();
        try
        {
            // A memory miss of an immutable object asks the disk tier before the origin (a stale copy is revalidated instead).
            if (stale is null && _disk is not null && !ObjectKeys.IsMutable(fill.Key) && await TryFromDiskAsync(fill))
            {
                return;
            }

            var request = new OriginRequest(stale?.Info.ETag is { Length: > 0 } etag ? etag : null, slice?.Range, assetChangeSeq);
            await using var response = await _origin.FetchAsync(objectKey, request, _stopping);
            EdgeMetrics.OriginFetched(kind, response.Status, response.Error, _time.GetElapsedTime(started).TotalSeconds);
            if (slice is not null)
            {
                EdgeMetrics.OriginSliceFetches.Inc();
            }

            switch (response.Status)
            {
                case OriginStatus.NotModified:
                    stale?.Confirm(_time.GetTimestamp());
                    fill.Answer(new FillHead(FillOutcome.NotModified, stale?.Info));
                    return;
                case OriginStatus.NotFound:
                    _entries.Remove(fill.Key);
                    _largeHeads.TryRemove(objectKey, out _);
                    fill.Answer(new FillHead(FillOutcome.NotFound));
                    return;
                case OriginStatus.Failed:
                    LogOriginFailed(_logger, fill.Key, response.Error, response.Message ?? "");
                    fill.Answer(new FillHead(FillOutcome.Failed, Error: response.Error, Message: response.Message));
                    return;
            }

            var info = response.Info!;
            if (slice is not null)
            {
                if (info.Length != slice.Head.Length || info.ETag != slice.Head.ETag)
                {
                    // Replaced at the origin since its head was learnt (only outside generations): start over from the head.
                    _largeHeads.TryRemove(objectKey, out _);
                    const string changed = "the object changed at the origin while it was read in slices";
                    LogOriginFailed(_logger, fill.Key, OriginError.Protocol, changed);
                    fill.Answer(new FillHead(FillOutcome.Failed, Error: OriginError.Protocol, Message: changed));
                    return;
                }

                info = info with { Length = slice.Range.Length }; // what this cache entry holds: the slice's bytes
            }
            else if (info.Length > _options.MaxCachedObjectBytes)
            {
                if (SliceBytes > 0 && !ObjectKeys.IsMutable(objectKey))
                {
                    RememberLargeHead(objectKey, info);
                }

                fill.Answer(new FillHead(FillOutcome.TooLarge, info));
                return;
            }

            if (Interlocked.Add(ref _inFlightBytes, info.Length) > _options.MaxInFlightBytes)
            {
                Interlocked.Add(ref _inFlightBytes, -info.Length);
                EdgeMetrics.InFlightRefusals.Inc();
                fill.Answer(new FillHead(FillOutcome.NoBuffer, info));
                return;
            }

            // The budget is held as long as the fill holds its body: until the last request streaming from it is done, not
            // only until the fetch ends, or slow readers would keep bodies alive that no budget counts.
            var length = info.Length;
            fill.BeginBody(new PooledBody(_pool, length), info, () => Interlocked.Add(ref _inFlightBytes, -length));
            await ReadBodyAsync(fill, response.Body!, info, kind);

            // A parent edge that answered from an older state of the asset than ours knows: serve, do not keep.
            var behind = response.AssetChangeSeq > 0 && response.AssetChangeSeq < assetChangeSeq;
            if (fill.Completed && !fill.Discarded && !behind && fill.Body.TryRetain())
            {
                // The cache's own reference: the fill's goes when its last reader leaves, the cache's when the entry does.
                var mutable = ObjectKeys.IsMutable(fill.Key);
                if (!_entries.Set(fill.Key, new CachedObject(fill.Body, info, mutable, _time.GetTimestamp()), info.Length))
                {
                    fill.Body.Release();
                }
                else if (!mutable)
                {
                    _disk?.Store(fill.Key, fill.Body, info); // in the background; the fill's reference keeps the body alive until it retains its own
                }

                UpdateGauges();
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Never leave waiters hanging: whatever went wrong ends this fetch for all of them.
            LogOriginFailed(_logger, fill.Key, OriginError.Protocol, ex.Message);
            fill.Answer(new FillHead(FillOutcome.Failed, Error: OriginError.Protocol, Message: ex.Message));
            fill.Fail(ex.Message);
        }
        finally
        {
            // Forgotten before the fetch leaves: once the last join is gone, no lookup can find this fill and join it.
            _fills.TryRemove(new KeyValuePair<string, ObjectFill>(fill.Key, fill));
            fill.Leave();
        }
    }

    /// <summary>
    /// Serves the fill from the disk tier when it has a good copy: the body, read whole and checked, is handed to the
    /// waiters as a finished fill and admitted to memory. False: a miss (or no buffer budget), go to the origin.
    /// </summary>
    private async Task<bool> TryFromDiskAsync(ObjectFill fill)
    {
        if (await _disk!.TryLoadAsync(fill.Key, _pool, _stopping) is not { } loaded)
        {
            return false;
        }

        var (body, info) = loaded;
        var length = info.Length;
        // Counted like an origin body while the fill holds it, so memory stays within the two budgets.
        if (Interlocked.Add(ref _inFlightBytes, length) > _options.MaxInFlightBytes)
        {
            Interlocked.Add(ref _inFlightBytes, -length);
            body.Release();
            return false;
        }

        fill.FromDisk = true;
        fill.BeginBody(body, info, () => Interlocked.Add(ref _inFlightBytes, -length));
        for (var left = length; left > 0;)
        {
            var step = (int)Math.Min(left, int.MaxValue);
            fill.Advance(step);
            left -= step;
        }

        fill.Complete();
        if (!fill.Discarded && length <= _options.MaxCachedObjectBytes && fill.Body.TryRetain())
        {
            if (!_entries.Set(fill.Key, new CachedObject(fill.Body, info, false, _time.GetTimestamp()), length))
            {
                fill.Body.Release();
            }

            UpdateGauges();
        }

        return true;
    }

    private async Task ReadBodyAsync(ObjectFill fill, Stream body, Storage.ObjectInfo info, ObjectKind kind)
    {
        var length = info.Length;
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        var total = 0L;
        try
        {
            while (total < length)
            {
                // The origin timeout also bounds each read: an origin that stalls mid-body fails the fetch.
                stall.CancelAfter(_options.OriginTimeout);
                var read = await body.ReadAsync(fill.Body.WritableAt(total), stall.Token); // up to the end of one chunk
                if (read == 0)
                {
                    break;
                }

                total += read;
                fill.Advance(read);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            EdgeMetrics.OriginErrors.WithLabels(ex is OperationCanceledException ? "timeout" : "body").Inc();
            LogOriginFailed(_logger, fill.Key, ex is OperationCanceledException ? OriginError.Timeout : OriginError.Unreachable, ex.Message);
            fill.Fail($"the origin stopped sending {fill.Key} after {total} of {length} bytes");
            return;
        }
        finally
        {
            EdgeMetrics.OriginBytes.WithLabels(EdgeMetrics.KindLabel(kind)).Inc(total);
        }

        if (total < length)
        {
            EdgeMetrics.OriginErrors.WithLabels("truncated").Inc();
            fill.Fail($"the origin sent {total} of {length} bytes of {fill.Key}");
            return;
        }

        fill.Complete();
    }

    private void RememberLargeHead(string key, ObjectInfo info)
    {
        if (_largeHeads.Count >= MaxLargeHeads)
        {
            foreach (var old in _largeHeads.Keys.Take(MaxLargeHeads / 8))
            {
                _largeHeads.TryRemove(old, out _);
            }
        }

        _largeHeads[key] = info;
    }

    private void UpdateGauges()
    {
        EdgeMetrics.CacheBytes.Set(_entries.SizeBytes);
        EdgeMetrics.CacheObjects.Set(_entries.Count);
        EdgeMetrics.Evictions.IncTo(_entries.Evictions);
        EdgeMetrics.TierBytes.WithLabels("memory").Set(_entries.SizeBytes);
        EdgeMetrics.TierEvictions.WithLabels("memory").IncTo(_entries.Evictions);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Origin fetch of {Key} failed ({Error}): {Reason}")]
    private static partial void LogOriginFailed(ILogger logger, string key, OriginError error, string reason);
}
