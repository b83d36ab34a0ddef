namespace TranscodeFarm.Core.Caching;

/// <summary>
/// A key's weight as a <see cref="TopKeys"/> sketch sees it: <see cref="Weight"/> never under-counts, and over-counts
/// by at most <see cref="Error"/> (what the key inherited when it took over another key's counter).
/// </summary>
public readonly record struct KeyEstimate(string Key, long Weight, long Error)
{
    /// <summary>The weight the key is known to have had at least.</summary>
    public long GuaranteedWeight => Weight - Error;
}
