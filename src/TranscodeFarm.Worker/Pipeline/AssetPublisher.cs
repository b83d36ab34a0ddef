using TranscodeFarm.Core.Assets;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// Copies a packaged asset into the object store: media first (bounded concurrency), then media playlists,
/// then the master playlist and MPD, so a player that can fetch a manifest finds everything it references.
/// </summary>
public sealed class AssetPublisher(IObjectStore store)
{
    public async Task<(int Objects, long Bytes)> PublishAsync(
        string assetId,
        string directory,
        IReadOnlySet<string> audioRepresentationIds,
        int concurrency,
        CancellationToken cancellationToken)
    {
        var files = Directory.EnumerateFiles(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var media = files.Where(f => !OutputLayout.IsManifest(f)).ToList();
        var playlists = files.Where(f => OutputLayout.IsManifest(f) && f is not OutputLayout.HlsMaster and not OutputLayout.DashManifest).ToList();
        var tops = files.Where(f => f is OutputLayout.HlsMaster or OutputLayout.DashManifest).ToList();

        long bytes = 0;
        var objects = 0;
        foreach (var batch in new[] { media, playlists, tops })
        {
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (file, ct) =>
            {
                var isAudio = audioRepresentationIds.Contains(RepresentationIdOf(file));
                await using var stream = new FileStream(Path.Combine(directory, file), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
                var info = await store.PutAsync(
                    ObjectKeys.ForAsset(assetId, file),
                    stream,
                    new ObjectProperties(MediaTypes.ForFile(file, isAudio), MediaTypes.CacheControlFor(file)),
                    ct);
                Interlocked.Add(ref bytes, info.Length);
                Interlocked.Increment(ref objects);
            });
        }

        return (objects, bytes);
    }

    /// <summary>"init-3.mp4" → "3", "seg-3-00001.m4s" → "3"; "" for anything else.</summary>
    internal static string RepresentationIdOf(string file)
    {
        var name = Path.GetFileNameWithoutExtension(file);
        var parts = name.Split('-');
        return parts.Length >= 2 && parts[0] is "init" or "seg" ? parts[1] : "";
    }
}
