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

    /// <summary>The wire name of a match's kind: its <see cref="ContentMatch.Classify"/> overlap, or "reference".</summary>
    public static string Of(ContentMatch match, double queryDurationSeconds, double entryDurationSeconds, bool isReference, double coverage = DefaultCoverage)
    {
        ArgumentNullException.ThrowIfNull(match);
        if (isReference)
        {
            return Reference;
        }

        return match.Classify(Math.Max(queryDurationSeconds, 0.1), Math.Max(entryDurationSeconds, 0.1), coverage) switch
        {
            ContentOverlap.Duplicate => Duplicate,
            ContentOverlap.Excerpt => Excerpt,
            ContentOverlap.Contains => Contains,
            _ => Partial,
        };
    }
}
