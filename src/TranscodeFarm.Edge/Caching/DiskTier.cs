using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using TranscodeFarm.Core.Caching;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Edge.Caching;

/// <summary>
/// The edge's disk tier (decision 026): immutable objects the memory tier kept, one file each under Edge:DiskCacheDirectory,
/// bounded by Edge:DiskCacheBytes with the memory tier's policy over keys and file sizes (evicting deletes the file).
/// Files are written in the background to a temp name and renamed, read back only after the body's length and SHA-256
/// match the header; anything else is deleted and counted. The index is rebuilt from the headers at start.
/// </summary>
public sealed partial class DiskTier
{
    /// <summary>Writes waiting or running; past it a new object is not written (the memory tier still has it).</summary>
    private const int MaxPendingWrites = 64;

    private readonly PolicyCache<long> _index;
    private readonly string _directory;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private readonly ConcurrentDictionary<string, StrongBox<bool>> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly Task _loaded;
    private volatile bool _broken;

    private readonly long _maxObjectBytes;

    public DiskTier(string directory, long budgetBytes, long maxObjectBytes, string policy, ILogger logger, CancellationToken stopping)
    {
        _maxObjectBytes = maxObjectBytes;
        _directory = Path.GetFullPath(directory);
        _logger = logger;
        _stopping = stopping;
        _index = new PolicyCache<long>(
            evicted => Core.Caching.Policies.CachePolicies.Create(policy, budgetBytes, evicted)!,
            (key, _) => Delete(PathOf(key)));
        _loaded = Task.Run(LoadOrDisable, CancellationToken.None);
    }

    /// <summary>Waits for the start-up scan (lookups before it ends would miss what is on disk).</summary>
    public Task Loaded => _loaded;

    public long SizeBytes => _index.SizeBytes;

    public long Evictions => _index.Evictions;

    /// <summary>Whether the key is on disk, without counting a request.</summary>
    public bool Contains(string key) => !_broken && _index.Contains(key);

    private string PathOf(string key) => Path.Combine(_directory, DiskEntryHeader.FileName(key));

    /// <summary>
    /// The object read back into a new body from <paramref name="pool"/> (the caller owns its one reference), or null on a
    /// miss; a file that fails its checks is deleted and counted.
    /// </summary>
    public async Task<(PooledBody Body, ObjectInfo Info)?> TryLoadAsync(string key, ChunkPool pool, CancellationToken cancellationToken)
    {
        await _loaded.WaitAsync(cancellationToken);
        if (_broken || !_index.TryGet(key, out _))
        {
            EdgeMetrics.TierLookup("disk", hit: false);
            return null;
        }

        var path = PathOf(key);
        PooledBody? body = null;
        try
        {
            if (DiskFile.OpenRegular(path) is not { } opened)
            {
                return Refuse(key, path, "not_regular");
            }

            using var handle = opened.Handle;
            var header = await ReadHeaderAsync(handle, opened.Size, cancellationToken);
            // Never larger than the memory tier takes: a planted file with a good checksum still cannot make the edge allocate more.
            if (header is null || header.Key != key || header.Length != opened.Size - header.ToBytes().Length || header.Length > _maxObjectBytes)
            {
                return Refuse(key, path, header is null ? "header" : "length");
            }

            body = new PooledBody(pool, header.Length);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var offset = opened.Size - header.Length;
            for (var at = 0L; at < header.Length;)
            {
                var piece = body.WritableAt(at);
                var read = await RandomAccess.ReadAsync(handle, piece, offset + at, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                hash.AppendData(piece.Span[..read]);
                at += read;
            }

            if (!CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), header.BodyHash))
            {
                body.Release();
                body = null;
                return Refuse(key, path, "checksum");
            }

            EdgeMetrics.TierLookup("disk", hit: true);
            return (body, new ObjectInfo(key, header.Length, header.ETag, header.ContentType, header.CacheControl, header.LastModified));
        }
        catch (IOException ex)
        {
            body?.Release();
            LogUnreadable(_logger, key, ex.Message);
            return Refuse(key, path, "io");
        }
        catch
        {
            body?.Release(); // cancelled (the edge is stopping): the chunks go back, nothing is served
            throw;
        }
    }

    /// <summary>
    /// Writes <paramref name="body"/> in the background unless it is on disk or being written; takes its own reference to
    /// the body and releases it when done. Never waits on the disk.
    /// </summary>
    public void Store(string key, PooledBody body, ObjectInfo info)
    {
        if (_index.Contains(key) || _pending.Count >= MaxPendingWrites || !body.TryRetain())
        {
            return;
        }

        var discarded = new StrongBox<bool>();
        if (!_pending.TryAdd(key, discarded))
        {
            body.Release();
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await _loaded;
                // Checked again after the start-up scan: it may have indexed this key, and a second write would replace
                // the entry (whose removal deletes the file just renamed into place).
                if (_broken || _index.Contains(key))
                {
                    return;
                }

                await WriteAsync(key, body, info, discarded);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OperationCanceledException)
            {
                EdgeMetrics.DiskWrites.WithLabels("failed").Inc();
                LogWriteFailed(_logger, key, ex.Message);
            }
            finally
            {
                body.Release();
                _pending.TryRemove(key, out _);
            }
        });
    }

    /// <summary>Deletes the matching objects' files and forgets them; writes in flight for them are dropped when done.</summary>
    public int Purge(Func<string, bool> match)
    {
        foreach (var (key, discarded) in _pending)
        {
            if (match(key))
            {
                discarded.Value = true;
            }
        }

        var removed = _index.RemoveWhere(match);
        UpdateGauges();
        return removed;
    }

    private async Task WriteAsync(string key, PooledBody body, ObjectInfo info, StrongBox<bool> discarded)
    {
        byte[] header;
        await _writer.WaitAsync(_stopping);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            for (var at = 0L; at < body.Length;)
            {
                var piece = body.Piece(at, body.Length - at);
                hash.AppendData(piece.Span);
                at += piece.Length;
            }

            header = new DiskEntryHeader(key, body.Length, hash.GetHashAndReset(), info.ETag, info.ContentType, info.CacheControl, info.LastModified).ToBytes();
            // CreateNew (O_EXCL) never opens an existing name, a planted link included; the rename replaces a name, never follows it.
            var temp = Path.Combine(_directory, $".tmp-{Guid.NewGuid():N}");
            try
            {
                await using (var file = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous }))
                {
                    await file.WriteAsync(header, _stopping);
                    for (var at = 0L; at < body.Length;)
                    {
                        var piece = body.Piece(at, body.Length - at);
                        await file.WriteAsync(piece, _stopping);
                        at += piece.Length;
                    }

                    file.Flush(flushToDisk: true); // renamed only once durable: a crash leaves the old state or the whole file
                }

                File.Move(temp, PathOf(key), overwrite: true);
            }
            catch
            {
                Delete(temp);
                throw;
            }
        }
        finally
        {
            _writer.Release();
        }

        // Indexed after the rename: the policy may evict others (deleting their files) or refuse this one (deleted too).
        if (discarded.Value || !_index.Set(key, 0, header.LongLength + body.Length))
        {
            _index.Remove(key);
            Delete(PathOf(key));
            EdgeMetrics.DiskWrites.WithLabels(discarded.Value ? "purged" : "refused").Inc();
        }
        else
        {
            EdgeMetrics.DiskWrites.WithLabels("ok").Inc();
        }

        UpdateGauges();
    }

    /// <summary>A directory the edge cannot use turns the tier off (logged), never the edge: memory and origin still serve.</summary>
    private void LoadOrDisable()
    {
        try
        {
            Load();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            _broken = true;
            LogDisabled(_logger, _directory, ex.Message);
        }
    }

    /// <summary>The start-up scan: every entry's header, not its body (checked on first read); temp files and bad files go.</summary>
    private void Load()
    {
        var directory = new DirectoryInfo(_directory);
        directory.Create();
        if (directory.LinkTarget is not null)
        {
            throw new IOException($"Edge:DiskCacheDirectory {_directory} is a symbolic link; give the real directory");
        }

        var kept = 0;
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            _stopping.ThrowIfCancellationRequested();
            if (entry.Name.StartsWith(".tmp-", StringComparison.Ordinal))
            {
                Delete(entry.FullName); // a write the last process did not finish
                continue;
            }

            if (!DiskEntryHeader.IsEntryName(entry.Name) || entry.LinkTarget is not null)
            {
                continue; // not ours: left alone, never followed
            }

            var header = ReadHeaderOf(entry.FullName, out var size);
            if (header is null || DiskEntryHeader.FileName(header.Key) != entry.Name || header.Length != size - header.ToBytes().Length)
            {
                EdgeMetrics.DiskRejected.WithLabels("header").Inc();
                Delete(entry.FullName);
                continue;
            }

            if (_index.Set(header.Key, 0, size))
            {
                kept++;
            }
        }

        UpdateGauges();
        LogLoaded(_logger, kept, _index.SizeBytes, _directory);
    }

    private static DiskEntryHeader? ReadHeaderOf(string path, out long size)
    {
        size = 0;
        if (DiskFile.OpenRegular(path) is not { } opened)
        {
            return null;
        }

        using var handle = opened.Handle;
        size = opened.Size;
        try
        {
            return ReadHeaderAsync(handle, opened.Size, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async ValueTask<DiskEntryHeader?> ReadHeaderAsync(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long fileSize, CancellationToken cancellationToken)
    {
        var prefix = new byte[DiskEntryHeader.PrefixSize];
        if (fileSize < prefix.Length || await RandomAccess.ReadAsync(handle, prefix, 0, cancellationToken) != prefix.Length)
        {
            return null;
        }

        var size = DiskEntryHeader.SizeFromPrefix(prefix);
        if (size < 0 || size > fileSize)
        {
            return null;
        }

        var header = new byte[size];
        return await RandomAccess.ReadAsync(handle, header, 0, cancellationToken) == size ? DiskEntryHeader.TryParse(header) : null;
    }

    private (PooledBody, ObjectInfo)? Refuse(string key, string path, string reason)
    {
        EdgeMetrics.DiskRejected.WithLabels(reason).Inc();
        EdgeMetrics.TierLookup("disk", hit: false);
        LogRefused(_logger, key, reason);
        // Forgotten first: removing from the index deletes the file (the removal callback); a file never indexed goes here.
        if (!_index.Remove(key))
        {
            Delete(path);
        }

        UpdateGauges();
        return null;
    }

    private void UpdateGauges()
    {
        EdgeMetrics.TierBytes.WithLabels("disk").Set(_index.SizeBytes);
        EdgeMetrics.TierEvictions.WithLabels("disk").IncTo(_index.Evictions);
    }

    private static void Delete(string path)
    {
        try
        {
            File.Delete(path); // unlink: a link is removed, never followed
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next start's scan, which deletes what does not check out.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Disk cache in {Directory} is off: {Reason}")]
    private static partial void LogDisabled(ILogger logger, string directory, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disk cache: {Objects} objects, {Bytes} bytes in {Directory}")]
    private static partial void LogLoaded(ILogger logger, int objects, long bytes, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disk cache file of {Key} refused ({Reason}): deleted, fetching from the origin")]
    private static partial void LogRefused(ILogger logger, string key, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disk cache file of {Key} could not be read: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string key, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disk cache write of {Key} failed: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string key, string reason);
}
