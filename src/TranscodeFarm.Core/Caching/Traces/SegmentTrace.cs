using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace TranscodeFarm.Core.Caching.Traces;

/// <summary>
/// A generated request trace: object keys (dense ints, see <see cref="SegmentTraceGenerator.Key"/>) with their sizes, and
/// the catalog's total bytes (every object, requested or not) that cache sizes are a share of.
/// </summary>
public sealed class SegmentTrace(int[] keys, int[] sizes, long catalogBytes)
{
    public ReadOnlySpan<int> Keys => keys;
    public ReadOnlySpan<int> Sizes => sizes;
    public int Count => keys.Length;
    public long CatalogBytes { get; } = catalogBytes;

    /// <summary>XxHash64 of the keys then the sizes (little-endian ints): what is committed instead of the trace itself.</summary>
    public ulong Checksum()
    {
        var hash = new XxHash64();
        hash.Append(MemoryMarshal.AsBytes(Keys));
        hash.Append(MemoryMarshal.AsBytes(Sizes));
        return hash.GetCurrentHashAsUInt64();
    }
}
