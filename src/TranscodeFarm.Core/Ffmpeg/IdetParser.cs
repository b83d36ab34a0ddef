using System.Globalization;
using System.Text.RegularExpressions;

namespace TranscodeFarm.Core.Ffmpeg;

/// <summary>idet's totals: repeated fields (3:2 pulldown repeats one field in 2 frames of 5) and the multi-frame verdicts.</summary>
public sealed record IdetReport(int RepeatedNeither, int RepeatedTop, int RepeatedBottom, int Tff, int Bff, int Progressive, int Undetermined)
{
    public int Frames => RepeatedNeither + RepeatedTop + RepeatedBottom;

    /// <summary>Frames idet's multi-frame detection decided on (undetermined ones are static or flat).</summary>
    public int Determined => Tff + Bff + Progressive;
}

/// <summary>
/// Reads the summary idet writes to stderr at the end of a run ("Repeated Fields: Neither: 75 Top: 0 Bottom: 0",
/// "Multi frame detection: TFF: 75 BFF: 0 Progressive: 0 Undetermined: 0"; the single-frame line is noisier and unused).
/// </summary>
public static partial class IdetParser
{
    [GeneratedRegex(@"Repeated Fields:\s*Neither:\s*(\d+)\s*Top:\s*(\d+)\s*Bottom:\s*(\d+)")]
    private static partial Regex RepeatedLine();

    [GeneratedRegex(@"Multi frame detection:\s*TFF:\s*(\d+)\s*BFF:\s*(\d+)\s*Progressive:\s*(\d+)\s*Undetermined:\s*(\d+)")]
    private static partial Regex MultiFrameLine();

    /// <returns>The totals, or null when either line is missing (idet saw no frame, or the run failed).</returns>
    public static IdetReport? Parse(IEnumerable<string> stderrLines)
    {
        Match? repeated = null, multi = null;
        foreach (var line in stderrLines)
        {
            // The last of each wins: a filter graph that was re-initialised prints its totals again.
            if (RepeatedLine().Match(line) is { Success: true } r)
            {
                repeated = r;
            }
            else if (MultiFrameLine().Match(line) is { Success: true } m)
            {
                multi = m;
            }
        }

        if (repeated is null || multi is null)
        {
            return null;
        }

        return new IdetReport(N(repeated, 1), N(repeated, 2), N(repeated, 3), N(multi, 1), N(multi, 2), N(multi, 3), N(multi, 4));
    }

    private static int N(Match m, int group) => int.Parse(m.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
}
