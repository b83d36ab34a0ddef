namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// What a match means, from how much of each side it covers. A re-encode covers both sides (duplicate); a trailer cut
/// from a film covers the upload but a small part of the asset (excerpt); a compilation covers the asset but not the
/// upload (contains). Matches against reference collections are "reference" whatever their coverage.
/// </summary>
public static class MatchKinds
{
    public const string Duplicate = "duplicate";
    public const string Excerpt = "excerpt";
    public const string Contains = "contains";
    public const string Partial = "partial";
    public const string Reference = "reference";

    public const double DefaultCoverage = 0.8;

    /// <param name="coverage">Fraction of a side's duration the match must span to count as covering it.</param>
    public static string Classify(double matchedSeconds, double queryDurationSeconds, double entryDurationSeconds, bool isReference, double coverage = DefaultCoverage)
    {
        if (isReference)
        {
            return Reference;
        }

        // Fingerprint frames come every 0.5 s and the last one may be missing: allow a second of slack on each side.
        var coversQuery = matchedSeconds + 1 >= coverage * queryDurationSeconds;
        var coversEntry = matchedSeconds + 1 >= coverage * entryDurationSeconds;
        return (coversQuery, coversEntry) switch
        {
            (true, true) => Duplicate,
            (true, false) => Excerpt,
            (false, true) => Contains,
            _ => Partial,
        };
    }
}
