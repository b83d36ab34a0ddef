namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// A query's audio found in an indexed asset: query time + <see cref="OffsetSeconds"/> = time in the asset.
/// <see cref="BitErrorRate"/> is over the whole overlap (≈ 0.5 for unrelated audio); <see cref="MatchedSeconds"/> is
/// the length of that overlap.
/// </summary>
public sealed record AudioMatch(string AssetId, double OffsetSeconds, double BitErrorRate, double MatchedSeconds)
{
    /// <summary>
    /// 1 − 2·BER, clamped to 0..1: 1 for identical words, 0 for chance level (0.5), so it sits on the same 0..1 scale
    /// as a video match's score. A BER of 0.1–0.2 (a typical re-encode) scores 0.8–0.6.
    /// </summary>
    public double Score => Math.Clamp(1 - (2 * BitErrorRate), 0, 1);

    /// <summary>Seconds of the overlap whose windows line up at this offset (<see cref="AudioVerifier"/>).</summary>
    public double AgreeingSeconds { get; init; } = MatchedSeconds;

    /// <summary>The query's span the match covers, in query time: [<see cref="QueryStartSeconds"/>, + <see cref="MatchedSeconds"/>).</summary>
    public double QueryStartSeconds => Math.Max(0, -OffsetSeconds);
}
