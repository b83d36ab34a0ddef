using System.Collections.Concurrent;
using TranscodeFarm.Core.Assets;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// Copies one attempt's packaged asset into the object store, under its own generation prefix ("asset/g7/") and nowhere
/// else: a stale attempt can never overwrite or delete what a newer one wrote. While ffmpeg encodes,
/// <see cref="UploadWhileEncodingAsync"/> uploads each segment as soon as it is closed; <see cref="PublishAsync"/> then
/// uploads what is left: media first, then media playlists, then the master playlist and MPD, so a player that can fetch
/// a manifest finds everything it references. One instance per attempt.
/// </summary>
public sealed class AssetPublisher(IObjectStore store, TimeProvider time, string assetId, int generation)
{
    private readonly ConcurrentDictionary<string, long> _uploaded = new(StringComparer.Ordinal);

    /// <summary>Keys uploaded so far (to clean up after a failed job: nothing references them).</summary>
    public IReadOnlyCollection<string> UploadedKeys => _uploaded.Keys.Select(KeyOf).ToList();

    public async Task UploadWhileEncodingAsync(string directory, IReadOnlySet<string> audioIds, int concurrency, Task encoding, CancellationToken cancellationToken)
    {
        var closed = new ClosedSegments();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), time);
        while (!encoding.IsCompleted && await timer.WaitForNextTickAsync(cancellationToken))
        {
            var files = new DirectoryInfo(directory).EnumerateFiles("seg-*.m4s").ToDictionary(f => f.Name, f => f.Length);
            var ready = closed.Scan(files).Where(f => !_uploaded.ContainsKey(f)).ToList();
            await UploadAsync(directory, ready, audioIds, concurrency, cancellationToken);
        }
    }

    public async Task<(int Objects, long Bytes)> PublishAsync(string directory, IReadOnlySet<string> audioIds, int concurrency, CancellationToken cancellationToken)
    {
        var files = Directory.EnumerateFiles(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var media = files.Where(f => !OutputLayout.IsManifest(f) && !_uploaded.ContainsKey(f)).ToList();
        var playlists = files.Where(f => OutputLayout.IsManifest(f) && f is not OutputLayout.HlsMaster and not OutputLayout.DashManifest).ToList();
        var tops = files.Where(f => f is OutputLayout.HlsMaster or OutputLayout.DashManifest).ToList();
        foreach (var batch in new[] { media, playlists, tops })
        {
            await UploadAsync(directory, batch, audioIds, concurrency, cancellationToken);
        }

        return (_uploaded.Count, _uploaded.Values.Sum());
    }

    /// <summary>
    /// After approval: copies of the top manifests at the asset's root ("asset/master.m3u8"), for players that read the
    /// bucket directly. They are written after the fenced publication, but S3 has no conditional PUT, so they are not
    /// fenced themselves: the edge never reads them and serves the root from the published generation instead.
    /// </summary>
    public async Task WriteRootCopiesAsync(string directory, CancellationToken cancellationToken)
    {
        foreach (var file in new[] { OutputLayout.HlsMaster, OutputLayout.DashManifest }.Where(f => File.Exists(Path.Combine(directory, f))))
        {
            var plain = await File.ReadAllTextAsync(Path.Combine(directory, file), cancellationToken);
            var root = RootManifests.ForRoot(plain, file == OutputLayout.DashManifest, ObjectKeys.GenerationFolder(generation));
            using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(root));
            await store.PutAsync(ObjectKeys.ForAsset(assetId, file), stream, new ObjectProperties(MediaTypes.ForFile(file, false), MediaTypes.CacheControlFor(file)), cancellationToken);
        }
    }

    private string KeyOf(string file) => ObjectKeys.ForGeneration(assetId, generation, file);

    private async Task UploadAsync(string directory, IReadOnlyList<string> files, IReadOnlySet<string> audioIds, int concurrency, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (file, ct) =>
        {
            var key = KeyOf(file);
            await using var stream = new FileStream(Path.Combine(directory, file), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
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
