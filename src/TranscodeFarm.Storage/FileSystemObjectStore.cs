using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using TranscodeFarm.Core.Assets;

namespace TranscodeFarm.Storage;

/// <summary>
/// Object store on a local folder. Each object is a file plus a small JSON sidecar with its content type,
/// cache-control and MD5 ETag, in a parallel ".meta" tree so listings never see them. Writes go to a temp
/// file and are renamed into place (atomic on one filesystem).
/// </summary>
public sealed class FileSystemObjectStore : IObjectStore
{
    private const string MetaFolder = ".meta";
    private const string TempFolder = ".tmp";
    private readonly string _root;
    private readonly TimeProvider _time;

    public FileSystemObjectStore(string root, TimeProvider time)
    {
        _root = Path.GetFullPath(root);
        _time = time;
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(Path.Combine(_root, TempFolder));
    }

    public string Describe => $"file://{_root}";

    public async Task<ObjectInfo> PutAsync(string key, Stream content, ObjectProperties properties, CancellationToken cancellationToken)
    {
        var path = PathFor(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = Path.Combine(_root, TempFolder, Guid.NewGuid().ToString("N"));
        string etag;
        long length;
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
                try
                {
                    int read;
                    while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        md5.AppendData(buffer, 0, read);
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    }
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }

                length = file.Length;
                etag = '"' + Convert.ToHexStringLower(md5.GetHashAndReset()) + '"';
            }

            var info = new ObjectInfo(key, length, etag, properties.ContentType, properties.CacheControl, _time.GetUtcNow());
            var metaPath = MetaPathFor(key);
            Directory.CreateDirectory(Path.GetDirectoryName(metaPath)!);
            var metaTemp = temp + ".meta";
            await File.WriteAllTextAsync(metaTemp, JsonSerializer.Serialize(new Meta(properties.ContentType, properties.CacheControl, etag)), cancellationToken);
            // Metadata first, then content: a reader that finds the content always finds matching metadata.
            File.Move(metaTemp, metaPath, overwrite: true);
            File.Move(temp, path, overwrite: true);
            return info;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public async Task<ObjectContent?> GetAsync(string key, ByteRange? range, CancellationToken cancellationToken)
    {
        var info = await HeadAsync(key, cancellationToken);
        if (info is null)
        {
            return null;
        }

        FileStream stream;
        try
        {
            stream = new FileStream(PathFor(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        if (range is { } r)
        {
            stream.Seek(r.From, SeekOrigin.Begin);
            return new ObjectContent(info, new LimitedReadStream(stream, r.Length), r);
        }

        return new ObjectContent(info, stream, null);
    }

    public async Task<ObjectInfo?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PathFor(key));
        if (!file.Exists)
        {
            return null;
        }

        var meta = await ReadMetaAsync(key, cancellationToken);
        return new ObjectInfo(
            key,
            file.Length,
            meta?.ETag ?? $"\"{file.Length:x}-{file.LastWriteTimeUtc.Ticks:x}\"",
            meta?.ContentType ?? MediaTypes.ForFile(key),
            meta?.CacheControl ?? MediaTypes.CacheControlFor(key),
            new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!ObjectKeys.IsValidPrefix(prefix))
        {
            throw new ArgumentException($"invalid prefix '{prefix}'", nameof(prefix));
        }

        var keys = Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(_root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(k => !k.StartsWith(MetaFolder + "/", StringComparison.Ordinal) && !k.StartsWith(TempFolder + "/", StringComparison.Ordinal))
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (await HeadAsync(key, cancellationToken) is { } info)
            {
                yield return info;
            }
        }
    }

    /// <summary>Opens the store's folder and reads its first entry (a missing or unreadable folder throws): one directory
    /// read, however many objects the store holds.</summary>
    public Task ProbeAsync(CancellationToken cancellationToken)
    {
        using var entries = Directory.EnumerateFileSystemEntries(_root).GetEnumerator();
        entries.MoveNext();
        return Task.CompletedTask;
    }

    /// <summary>The store's folder, made again when it was removed (it is made at construction).</summary>
    public Task<bool> CreateBucketAsync(CancellationToken cancellationToken)
    {
        var existed = Directory.Exists(_root);
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(Path.Combine(_root, TempFolder));
        return Task.FromResult(!existed);
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathFor(key);
        var existed = File.Exists(path);
        File.Delete(path);
        File.Delete(MetaPathFor(key));
        return Task.FromResult(existed);
    }

    private string PathFor(string key)
    {
        if (!ObjectKeys.IsValid(key))
        {
            throw new ArgumentException($"invalid object key '{key}'", nameof(key));
        }

        return Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));
    }

    private string MetaPathFor(string key) => Path.Combine(_root, MetaFolder, PathFor(key)[(_root.Length + 1)..] + ".json");

    private async Task<Meta?> ReadMetaAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await using var s = File.OpenRead(MetaPathFor(key));
            return await JsonSerializer.DeserializeAsync<Meta>(s, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }

    private sealed record Meta(string ContentType, string CacheControl, string ETag);
}
