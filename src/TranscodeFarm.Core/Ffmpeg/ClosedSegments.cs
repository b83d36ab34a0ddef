using System.Globalization;

namespace TranscodeFarm.Core.Ffmpeg;

/// <summary>
/// Decides which segment files ffmpeg has finished while it is still encoding: for each rendition, every segment
/// but the newest is closed, once its size has held steady across two scans. Pure apart from the sizes given.
/// </summary>
public sealed class ClosedSegments
{
    private readonly Dictionary<string, long> _lastSizes = new(StringComparer.Ordinal);

    /// <param name="files">Segment file name → size, from one scan of the output folder.</param>
    public IReadOnlyList<string> Scan(IReadOnlyDictionary<string, long> files)
    {
        var closed = new List<string>();
        var byRendition = files.Keys
            .Select(f => (File: f, Parsed: Parse(f)))
            .Where(x => x.Parsed is not null)
            .GroupBy(x => x.Parsed!.Value.Rendition);
        foreach (var rendition in byRendition)
        {
            var newest = rendition.Max(x => x.Parsed!.Value.Number);
            foreach (var (file, parsed) in rendition)
            {
                var size = files[file];
                if (parsed!.Value.Number < newest && _lastSizes.TryGetValue(file, out var before) && before == size)
                {
                    closed.Add(file);
                }

                _lastSizes[file] = size;
            }
        }

        return closed;
    }

    /// <summary>"seg-3-00012.m4s" → (3, 12).</summary>
    internal static (string Rendition, int Number)? Parse(string file)
    {
        if (!file.StartsWith("seg-", StringComparison.Ordinal) || !file.EndsWith(".m4s", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = file[4..^4].Split('-');
        return parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? (parts[0], n) : null;
    }
}
