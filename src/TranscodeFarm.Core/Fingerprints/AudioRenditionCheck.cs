using System.Globalization;

namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// The gate's audio half, pure: a rendition's Chromaprint must line up with the source's at offset 0. Audio that is
/// silence or a held tone cannot be checked this way (it matches itself anywhere), so it passes unchecked.
/// </summary>
public static class AudioRenditionCheck
{
    /// <summary>Chromaprint's 0.124 s items: one item either way is within encoder priming and rounding.</summary>
    public const double MaxOffsetSeconds = 0.25;

    public static RenditionVerdict Compare(string name, AudioFingerprint source, AudioFingerprint rendition)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(rendition);
        var overlap = Math.Min(AudioAligner.DefaultMinOverlapSeconds, 0.8 * source.DurationSeconds);
        if (source.Count < 2 || overlap < 1 || AudioAligner.Align(source, source, overlap, (0, 0)) is not { IsMatch: true })
        {
            return new RenditionVerdict(name, 0, 0, null); // too short, silent or a held tone: nothing to compare
        }

        if (rendition.DurationSeconds < 0.8 * source.DurationSeconds)
        {
            return Fail(name, $"the audio ends early: {rendition.DurationSeconds:0.0} s of {source.DurationSeconds:0.0} s");
        }

        var atZero = AudioAligner.Align(rendition, source, overlap, (-MaxOffsetSeconds, MaxOffsetSeconds));
        if (atZero is { IsMatch: true })
        {
            return new RenditionVerdict(name, 1, 1, null);
        }

        var anywhere = AudioAligner.Align(rendition, source, overlap, (-10, 10));
        return anywhere is { IsMatch: true } shifted
            ? Fail(name, $"audio out of sync: {Math.Abs(shifted.OffsetSeconds):0.00} s {(shifted.OffsetSeconds < 0 ? "late" : "early")} against the source")
            : Fail(name, $"the audio differs from the source (bit error rate {atZero?.BitErrorRate ?? 1:0.00}): silent, corrupted or wrong content");
    }

    private static RenditionVerdict Fail(string name, FormattableString problem) => new(name, 1, 0, problem.ToString(CultureInfo.InvariantCulture), "audio");
}
