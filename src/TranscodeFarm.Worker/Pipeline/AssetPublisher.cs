using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using TranscodeFarm.Core.Assets;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// One attempt's road to the object store, under its own generation prefix ("asset/g7/") and nowhere else: a stale
/// attempt can never overwrite or delete what a newer one wrote. The packager pushes each finished init and media
/// segment into <see cref="Sink"/>; <see cref="UploadWhileEncodingAsync"/> inspects and uploads them as they come,
/// <c>concurrency</c> at a time. After the gate, <see cref="UploadAsync"/> puts up what the end of the job made (the
/// fingerprint files, then media playlists, then the top manifests), and it remembers every object it uploaded, so
/// the manifests can be checked against what is really there and a failed attempt leaves nothing behind
/// (<see cref="DiscardAsync"/>). One instance per attempt.
/// </summary>
public sealed class AssetPublisher(IObjectStore store, string assetId, int generation, int concurrency, PackagedObjectInspection inspection)
{
    private readonly ChannelSink _sink = new(capacity: 4 * concurrency);
    private readonly ConcurrentDictionary<string, long> _uploaded = new(StringComparer.Ordinal);
    private bool _approved;

    /// <summary>Where the packager hands its objects: bounded, so a slow store slows the encode down.</summary>
    public ISegmentSink Sink => _sink;

    /// <summary>Objects uploaded so far.</summary>
    public int Objects => _uploaded.Count;

    /// <summary>Bytes uploaded so far.</summary>
    public long Bytes => _uploaded.Values.Sum();

    /// <summary>Whether an object of this name (in the generation) was uploaded: what a manifest may reference.</summary>
    public bool HasUploaded(string name) => _uploaded.ContainsKey(name);

    /// <summary>
    /// Uploads what the packager pushes until <see cref="EndOfMedia"/>. Throws the store's error (after its retries), or
    /// <see cref="PackagedObjectRejectedException"/> when the inspection refuses an object; either way the packager is
    /// released from a full channel at once.
    /// </summary>
    public async Task UploadWhileEncodingAsync(CancellationToken cancellationToken)
    {
        try
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(_sink.Reader.ReadAllAsync(cancellationToken), options, async (packaged, ct) =>
            {
                try
                {
                    if (packaged.IsMedia && await inspection.InspectAsync(packaged, ct) is { } problem)
                    {
                        throw new PackagedObjectRejectedException(problem);
                    }

                    await PutAsync(packaged, ct);
                }
                finally
                {
                    // The packager's pooled segment buffer goes back once sent (decision 010); anything else is left to the GC.
                    PooledSegmentMemory.Release(packaged.Bytes);
                }
            });
        }
        catch (Exception ex)
        {
            _sink.Complete(ex);
            throw;
        }
    }

    /// <summary>The packager has written its last object.</summary>
    public void EndOfMedia() => _sink.Complete();

    /// <summary>Uploads <paramref name="objects"/> (<c>concurrency</c> at a time) and returns when all are up.</summary>
    public Task UploadAsync(IReadOnlyList<PackagedObject> objects, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, PutAsync);

    /// <summary>
    /// After approval: copies of the top manifests at the asset's root ("asset/master.m3u8"), for players that read the
    /// bucket directly. They are written after the fenced publication, but S3 has no conditional PUT, so they are not
    /// fenced themselves: the edge never reads them and serves the root from the published generation instead.
    /// </summary>
    public async Task WriteRootCopiesAsync(IEnumerable<PackagedObject> rootCopies, CancellationToken cancellationToken)
    {
        foreach (var copy in rootCopies)
        {
            using var stream = ReadOnly(copy.Bytes);
            await store.PutAsync(ObjectKeys.ForAsset(assetId, copy.Name), stream, new ObjectProperties(copy.ContentType, copy.CacheControl), cancellationToken);
        }
    }

    /// <summary>The attempt's generation is the published one now: its objects are no longer this attempt's to delete.</summary>
    public void Approved() => _approved = true;

    /// <summary>
    /// Best effort, on any way out of an attempt that was not approved (a failure, a rejection, a lost lease, a stop):
    /// what it uploaded is referenced by nothing; remove it. Only this attempt's own generation is touched: whatever an
    /// earlier attempt published stays published. Does nothing once <see cref="Approved"/>.
    /// </summary>
    public async Task DiscardAsync()
    {
        if (_approved)
        {
            return;
        }

        foreach (var name in _uploaded.Keys)
        {
            try
            {
                await store.DeleteAsync(KeyOf(name), CancellationToken.None);
                _uploaded.TryRemove(name, out _);
            }
            catch (IOException)
            {
                // unreferenced garbage at worst
            }
        }
    }

    private string KeyOf(string name) => ObjectKeys.ForGeneration(assetId, generation, name);

    private async ValueTask PutAsync(PackagedObject packaged, CancellationToken cancellationToken)
    {
        using var stream = ReadOnly(packaged.Bytes);
        var info = await store.PutAsync(KeyOf(packaged.Name), stream, new ObjectProperties(packaged.ContentType, packaged.CacheControl), cancellationToken);
        _uploaded[packaged.Name] = info.Length;
    }

    /// <summary>A seekable view (the store's retries rewind it) over bytes the publisher owns; no copy when they are an array.</summary>
    private static MemoryStream ReadOnly(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var array)
            ? new MemoryStream(array.Array!, array.Offset, array.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);
}
