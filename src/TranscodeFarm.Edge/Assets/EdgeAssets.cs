using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TranscodeFarm.Edge.Caching;
using TranscodeFarm.Queue.Assets;

namespace TranscodeFarm.Edge.Assets;

/// <summary>What the edge knows of an asset: whether it may be served, which generation its root manifests come from,
/// and the change number its cached objects belong to.</summary>
public sealed record AssetView(AssetState State, long ChangeSeq, bool RequireToken, int Generation = 0)
{
    public bool Servable => State == AssetState.Published;
}

/// <summary>
/// The edge's copy of the asset directory: which assets are published, at which change number. It follows the job
/// database (catch-up by change number on NOTIFY, on an in-process signal, and on a short poll), and every change it
/// sees purges that asset from the cache: a purge is a generation change. An asset never seen is looked up once
/// (one query however many requests ask) and a miss is remembered briefly.
/// </summary>
public sealed partial class EdgeAssets(IAssetDirectory directory, EdgeCache cache, IOptions<EdgeOptions> options, TimeProvider time, ILogger<EdgeAssets> logger)
{
    private const int Page = 1000;
    private readonly ConcurrentDictionary<string, AssetView> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _unknownSince = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<AssetView?>> _lookups = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _catchUp = new(1, 1);
    private long _lastSeq;
    private bool _loaded;

    public long LastSeq => Interlocked.Read(ref _lastSeq);

    public int Count => _known.Count;

    /// <summary>The asset's state, or null when the job database has never heard of it.</summary>
    public ValueTask<AssetView?> LookupAsync(string assetId, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(assetId, out var view))
        {
            return ValueTask.FromResult<AssetView?>(view);
        }

        if (_unknownSince.TryGetValue(assetId, out var since) && time.GetElapsedTime(since) < options.Value.UnknownAssetRecheck)
        {
            return ValueTask.FromResult<AssetView?>(null);
        }

        return new ValueTask<AssetView?>(LookupOnceAsync(assetId).WaitAsync(cancellationToken));
    }

    private Task<AssetView?> LookupOnceAsync(string assetId)
    {
        var started = false;
        var task = _lookups.GetOrAdd(assetId, id =>
        {
            started = true;
            return FetchAsync(id);
        });
        if (started)
        {
            _ = task.ContinueWith(_ => _lookups.TryRemove(assetId, out Task<AssetView?>? _), TaskScheduler.Default);
        }

        return task;
    }

    private async Task<AssetView?> FetchAsync(string assetId)
    {
        var record = await directory.GetAsync(assetId, CancellationToken.None);
        if (record is null)
        {
            _unknownSince[assetId] = time.GetTimestamp();
            return null;
        }

        _unknownSince.TryRemove(assetId, out _);
        return _known.AddOrUpdate(assetId, _ => ViewOf(record), (_, old) => old.ChangeSeq >= record.ChangeSeq ? old : ViewOf(record));
    }

    /// <summary>Reads every change after the last one seen; purges the assets that changed. Safe to call from anywhere.</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        await _catchUp.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                var changes = await directory.ChangesSinceAsync(LastSeq, Page, cancellationToken);
                foreach (var change in changes)
                {
                    Apply(change);
                }

                if (changes.Count < Page)
                {
                    break;
                }
            }

            _loaded = true;
        }
        finally
        {
            _catchUp.Release();
        }
    }

    private void Apply(AssetRecord change)
    {
        var previous = _known.TryGetValue(change.AssetId, out var old) ? old : null;
        _known[change.AssetId] = ViewOf(change);
        _unknownSince.TryRemove(change.AssetId, out _);
        Interlocked.Exchange(ref _lastSeq, Math.Max(LastSeq, change.ChangeSeq));
        if (_loaded && (previous is null || previous.ChangeSeq < change.ChangeSeq))
        {
            var dropped = cache.Purge(key => key.StartsWith(change.AssetId + "/", StringComparison.Ordinal));
            EdgeMetrics.Purges.WithLabels("generation").Inc();
            LogPurged(logger, change.AssetId, change.State, change.ChangeSeq, dropped);
        }
    }

    private static AssetView ViewOf(AssetRecord record) => new(record.State, record.ChangeSeq, record.RequireToken, record.Generation);

    [LoggerMessage(Level = LogLevel.Information, Message = "Asset {AssetId} changed ({State}, change {ChangeSeq}): {Dropped} cached objects purged")]
    private static partial void LogPurged(ILogger logger, string assetId, AssetState state, long changeSeq, int dropped);
}
