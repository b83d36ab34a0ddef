using System.Globalization;

namespace TranscodeFarm.Core.Caching;

public enum RangeKind
{
    /// <summary>No Range header, or one we serve as a whole (several ranges): answer 200 with everything.</summary>
    Whole,
    Single,
    /// <summary>416: the range starts past the end.</summary>
    Unsatisfiable,
}

/// <summary>Parses a single-range "Range: bytes=..." header (RFC 9110 §14) against an object's length.</summary>
public static class RangeHeader
{
    public static (RangeKind Kind, long From, long To) Parse(string? header, long length)
    {
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            return (RangeKind.Whole, 0, length - 1);
        }

        var spec = header["bytes=".Length..].Trim();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return (RangeKind.Whole, 0, length - 1);
        }

        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            // Suffix range: the last N bytes.
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix) || suffix == 0)
            {
                return suffix == 0 && last.Length > 0 ? (RangeKind.Unsatisfiable, 0, 0) : (RangeKind.Whole, 0, length - 1);
            }

            return (RangeKind.Single, Math.Max(0, length - suffix), length - 1);
        }

        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
        {
            return (RangeKind.Whole, 0, length - 1);
        }

        if (from >= length)
        {
            return (RangeKind.Unsatisfiable, 0, 0);
        }

        var to = last.Length == 0 || !long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? length - 1 : Math.Min(parsed, length - 1);
        return to < from ? (RangeKind.Whole, 0, length - 1) : (RangeKind.Single, from, to);
    }
}
