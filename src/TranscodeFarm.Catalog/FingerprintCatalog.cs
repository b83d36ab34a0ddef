using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Catalog;

/// <summary>
/// The farm's fingerprint index in memory: built from the database at start, then caught up before every query (one
/// cheap COUNT/MAX query when nothing changed), so a worker sees what other workers published and an edge node sees
/// new assets without restarting. One per process; thread-safe.
/// </summary>
public sealed class FingerprintCatalog(IFingerprintStore store) : IDisposable
{
    private const int BatchSize = 500;

    private readonly ContentMatcher _matcher = new();
    private readonly Dictionary<string, StoredFingerprint> _entries = new(StringComparer.Ordinal); // metadata only
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private long _lastSeq;

    public IFingerprintStore Store => store;

    /// <summary>Entries in the index (assets and references).</summary>
    public int Count
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Entries whose stored video form is older than this build writes (no centre hashes: issue 17). They still
    /// match with their whole-frame hashes; <c>transcodefarm fingerprint reindex</c> (and worker hosts at start) re-extract them.</summary>
    public int OutdatedCount
    {
        get
        {
            lock (_entries)
            {
                return _entries.Values.Count(e => e.VideoVersion is > 0 and < VideoFingerprintBinary.Version);
            }
        }
    }

    /// <summary>Loads rows added since the last refresh and drops rows deleted since.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var (count, maxSeq) = await store.VersionAsync(cancellationToken);
            while (maxSeq > _lastSeq)
            {
                var rows = await store.ReadSinceAsync(_lastSeq, BatchSize, cancellationToken);
                if (rows.Count == 0)
                {
                    break;
                }

                foreach (var row in rows)
                {
                    _matcher.Remove(row.Key);
                    if (row.Video is not null || row.Audio is not null)
                    {
                        _matcher.Add(row.Key, row.Video, row.Audio); // a row with neither is listed, never matched
                    }

                    lock (_entries)
                    {
                        _entries[row.Key] = row with { Video = null, Audio = null };
                    }
                }

                _lastSeq = rows[^1].Seq;
            }

            if (count != Count)
            {
                // Something was deleted (or replaced: the old row is gone, its key came back with the new one).
                var keys = await store.KeysAsync(cancellationToken);
                List<string> gone;
                lock (_entries)
                {
                    gone = _entries.Keys.Where(k => !keys.Contains(k)).ToList();
                    gone.ForEach(k => _entries.Remove(k));
                }

                gone.ForEach(k => _matcher.Remove(k));
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>
    /// Catalog entries the query matches, best first, each classified (<see cref="MatchKinds"/>).
    /// </summary>
    /// <param name="queryDurationSeconds">The query's duration, to tell a duplicate from an excerpt.</param>
    /// <param name="exclude">An entry key to leave out (the asset itself, on a retried job).</param>
    public async Task<IReadOnlyList<CatalogMatch>> MatchAsync(
        VideoFingerprint? video,
        AudioFingerprint? audio,
        double queryDurationSeconds,
        string? exclude,
        int maxResults,
        double coverage,
        CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        var found = _matcher.Query(video is { Count: > 0 } ? video : null, audio is { Count: > 0 } ? audio : null, maxResults + 1);
        var matches = new List<CatalogMatch>();
        foreach (var m in found)
        {
            StoredFingerprint? entry;
            lock (_entries)
            {
                _entries.TryGetValue(m.AssetId, out entry);
            }

            if (entry is null || m.AssetId == exclude)
            {
                continue;
            }

            var kind = MatchKinds.Of(m, queryDurationSeconds, entry.DurationSeconds, isReference: entry.Collection != FingerprintCollections.Assets, coverage);
            matches.Add(new CatalogMatch(entry.Collection, entry.EntryId, entry.Name, kind, Math.Round(m.Score, 3), Math.Round(m.OffsetSeconds, 2),
                Math.Round(m.MatchedSeconds, 1), m.Source.ToString().ToLowerInvariant(), m.AudioBitErrorRate is { } ber ? Math.Round(ber, 3) : null));
        }

        return matches.Take(maxResults).ToList();
    }

    /// <summary>Stores an entry and makes it searchable here at once (other hosts see it on their next refresh).</summary>
    public async Task AddAsync(string collection, string entryId, string name, double durationSeconds, VideoFingerprint? video, AudioFingerprint? audio, CancellationToken cancellationToken)
    {
        await store.SaveAsync(collection, entryId, name, durationSeconds, video, audio, cancellationToken);
        await RefreshAsync(cancellationToken);
    }

    public async Task<bool> RemoveAsync(string collection, string entryId, CancellationToken cancellationToken)
    {
        var removed = await store.RemoveAsync(collection, entryId, cancellationToken);
        await RefreshAsync(cancellationToken);
        return removed;
    }

    public void Dispose()
    {
        _matcher.Dispose();
        _refresh.Dispose();
    }
}
