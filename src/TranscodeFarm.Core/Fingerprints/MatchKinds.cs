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

    /// <summary>
    /// The sound matches but the picture, present on both sides, is clearly another: the same voice, music or jingle
    /// under other pictures. Recorded, never a duplicate or reference claim; rejected only where a collection's policy
    /// is <see cref="IngestPolicy.RejectAudioOnlyPolicy"/> (decision 012, issue 17).
    /// </summary>
    public const string AudioOnly = "audio-only";

    /// <summary>Kinds that claim the upload is (part of) the entry: all but <see cref="AudioOnly"/>.</summary>
    public static bool IsClaim(string kind) => kind != AudioOnly;

    public const double DefaultCoverage = 0.8;

    /// <summary>The wire name of a match's kind: "audio-only" when it is no claim, else its <see cref="ContentMatch.Classify"/> overlap, or "reference".</summary>
    public static string Of(ContentMatch match, double queryDurationSeconds, double entryDurationSeconds, bool isReference, double coverage = DefaultCoverage)
    {
        ArgumentNullException.ThrowIfNull(match);
        if (!match.IsClaim)
        {
            return AudioOnly;
        }

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
