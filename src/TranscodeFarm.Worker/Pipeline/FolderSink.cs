using TranscodeFarm.Core.Packaging;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// Writes packaged files into the attempt's output folder. Each file appears whole (written under a temporary
/// name, then renamed), so the publisher never uploads half a segment.
/// </summary>
internal sealed class FolderSink(string folder) : ISegmentSink
{
    public async ValueTask WriteAsync(PackagedObject packaged, CancellationToken cancellationToken)
    {
        var (fileName, data) = (packaged.Name, packaged.Bytes);
        var path = Path.Combine(folder, fileName);
        var temp = Path.Combine(folder, "." + fileName + ".tmp");
        await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
        {
            await file.WriteAsync(data, cancellationToken);
        }

        // Written: a segment's pooled buffer goes back for the next segment (nothing else holds this object).
        PooledSegmentMemory.Release(data);

        File.Move(temp, path, overwrite: true);
    }
}
