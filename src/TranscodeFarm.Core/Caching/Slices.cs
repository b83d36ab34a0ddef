namespace TranscodeFarm.Core.Caching;

/// <summary>
/// How the edge cuts an object too large to cache whole into fixed-size slices (issue 15, decision 026): slice N holds
/// bytes [N × size, min((N + 1) × size, length)), is fetched from the origin with one Range request, and is cached under its
/// own key like any object, so a range request for a cold large object fetches only the slices it covers.
/// </summary>
public static class Slices
{
    /// <summary>Between an object's key and its slice number: never in a valid object key (ObjectKeys allows no '#').</summary>
    private const string Marker = "#slice-";

    public static string KeyOf(string objectKey, long index) => objectKey + Marker + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The object a cache key belongs to: the key itself for a whole object, the object's key for a slice.</summary>
    public static string ObjectKeyOf(string cacheKey)
    {
        var at = cacheKey.LastIndexOf(Marker, StringComparison.Ordinal);
        return at < 0 ? cacheKey : cacheKey[..at];
    }

    /// <summary>The slices holding bytes [<paramref name="from"/>, <paramref name="from"/> + <paramref name="count"/>).</summary>
    public static (long First, long Last) Covering(long from, long count, long sliceBytes)
    {
        if (sliceBytes <= 0 || from < 0 || count <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "slices cover a non-empty range of a positive slice size");
        }

        return (from / sliceBytes, (from + count - 1) / sliceBytes);
    }

    /// <summary>Where slice <paramref name="index"/> starts in the object, and how many bytes it has.</summary>
    public static (long Offset, long Length) Extent(long index, long objectLength, long sliceBytes)
    {
        var offset = index * sliceBytes;
        if (index < 0 || offset >= objectLength)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"slice {index} is beyond an object of {objectLength} bytes");
        }

        return (offset, Math.Min(sliceBytes, objectLength - offset));
    }
}
