using System.Collections.Concurrent;
using System.Security.Cryptography;
using TranscodeFarm.Core.Assets;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// Copies a packaged asset into the object store. While ffmpeg encodes, <see cref="UploadWhileEncodingAsync"/>
/// uploads each segment as soon as it is closed; <see cref="PublishAsync"/> then uploads what is left: media
/// first, then media playlists, then the master playlist and MPD, so a player that can fetch a manifest finds
/// everything it references. One instance per job.
/// </summary>
public sealed class AssetPublisher(IObjectStore store, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, long> _uploaded = new(StringComparer.Ordinal);

    /// <summary>Keys uploaded so far (to clean up after a failed job: nothing references them).</summary>
    public IReadOnlyCollection<string> UploadedFiles => _uploaded.Keys.ToList();

    public async Task UploadWhileEncodingAsync(string assetId, string directory, IReadOnlySet<string> audioIds, int concurrency, Task encoding, CancellationToken cancellationToken)
    {
        var closed = new ClosedSegments();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), time);
        while (!encoding.IsCompleted && await timer.WaitForNextTickAsync(cancellationToken))
        {
            var files = new DirectoryInfo(directory).EnumerateFiles("seg-*.m4s").ToDictionary(f => f.Name, f => f.Length);
            var ready = closed.Scan(files).Where(f => !_uploaded.ContainsKey(f)).ToList();
            await UploadAsync(assetId, directory, ready, audioIds, concurrency, skipIdentical: false, cancellationToken);
        }
    }

    /// <param name="skipIdentical">Retried job: objects already in the store with the same MD5 are not sent again.</param>
    public async Task<(int Objects, long Bytes)> PublishAsync(string assetId, string directory, IReadOnlySet<string> audioIds, int concurrency, bool skipIdentical, CancellationToken cancellationToken)
    {
        var files = Directory.EnumerateFiles(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var media = files.Where(f => !OutputLayout.IsManifest(f) && !_uploaded.ContainsKey(f)).ToList();
        var playlists = files.Where(f => OutputLayout.IsManifest(f) && f is not OutputLayout.HlsMaster and not OutputLayout.DashManifest).ToList();
        var tops = files.Where(f => f is OutputLayout.HlsMaster or OutputLayout.DashManifest).ToList();
        foreach (var batch in new[] { media, playlists, tops })
        {
            await UploadAsync(assetId, directory, batch, audioIds, concurrency, skipIdentical, cancellationToken);
        }

        return (_uploaded.Count, _uploaded.Values.Sum());
    }

    private async Task UploadAsync(string assetId, string directory, IReadOnlyList<string> files, IReadOnlySet<string> audioIds, int concurrency, bool skipIdentical, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (file, ct) =>
        {
            var key = ObjectKeys.ForAsset(assetId, file);
            await using var stream = new FileStream(Path.Combine(directory, file), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
            if (skipIdentical && await store.HeadAsync(key, ct) is { } existing && existing.ETag == '"' + Convert.ToHexStringLower(await MD5.HashDataAsync(stream, ct)) + '"')
            {
                _uploaded[file] = existing.Length;
                return;
            }

            stream.Position = 0;
            var isAudio = audioIds.Contains(RepresentationIdOf(file));
            var info = await store.PutAsync(key, stream, new ObjectProperties(MediaTypes.ForFile(file, isAudio), MediaTypes.CacheControlFor(file)), ct);
            _uploaded[file] = info.Length;
        });
    }

    /// <summary>"init-3.mp4" → "3", "seg-3-00001.m4s" → "3"; "" for anything else.</summary>
    internal static string RepresentationIdOf(string file)
    {
        var name = Path.GetFileNameWithoutExtension(file);
        var parts = name.Split('-');
        return parts.Length >= 2 && parts[0] is "init" or "seg" ? parts[1] : "";
    }
}
