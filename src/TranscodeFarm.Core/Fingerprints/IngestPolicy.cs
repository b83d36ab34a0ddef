namespace TranscodeFarm.Core.Fingerprints;

/// <summary>What the farm does with an upload whose fingerprint matched the catalog.</summary>
public enum IngestAction
{
    /// <summary>Encode and publish; the matches are recorded with the job.</summary>
    Publish,
    /// <summary>Do not encode: the job's outputs point at the asset it duplicates.</summary>
    Alias,
    /// <summary>Fail the job: it matched a reference in a collection whose policy is reject.</summary>
    Reject,
}

public sealed record IngestDecision(IngestAction Action, CatalogMatch? Cause, string? Reason);

/// <summary>
/// The ingest policy, pure: rejection wins over everything (a blocked clip must never be published, even as an alias);
/// then a duplicate is aliased when the policy says so; anything else is published with its matches tagged.
/// </summary>
public static class IngestPolicy
{
    public const string Tag = "tag";
    public const string AliasPolicy = "alias";
    public const string Off = "off";
    public const string RejectPolicy = "reject";

    /// <summary>A collection policy: reject like <see cref="RejectPolicy"/>, and also on <see cref="MatchKinds.AudioOnly"/>
    /// matches (the sound is the protected work: a song, a jingle), which a plain reject collection only records.</summary>
    public const string RejectAudioOnlyPolicy = "reject-audio-only";

    /// <summary>Whether a collection policy value is one this farm knows.</summary>
    public static bool IsCollectionPolicy(string policy) => policy is RejectPolicy or RejectAudioOnlyPolicy or Tag;

    /// <param name="matches">Best first.</param>
    /// <param name="duplicates">"tag", "alias" or "off".</param>
    /// <param name="collectionPolicy">A reference collection's policy ("reject" or "tag").</param>
    public static IngestDecision Decide(IReadOnlyList<CatalogMatch> matches, string duplicates, Func<string, string> collectionPolicy)
    {
        ArgumentNullException.ThrowIfNull(matches);
        ArgumentNullException.ThrowIfNull(collectionPolicy);
        foreach (var m in matches)
        {
            var policy = m.Kind is MatchKinds.Reference or MatchKinds.AudioOnly ? collectionPolicy(m.Collection) : Tag;
            if ((m.Kind == MatchKinds.Reference && policy is RejectPolicy or RejectAudioOnlyPolicy) ||
                (m.Kind == MatchKinds.AudioOnly && policy == RejectAudioOnlyPolicy))
            {
                return new IngestDecision(IngestAction.Reject, m, RejectReason(m));
            }
        }

        if (duplicates == AliasPolicy && matches.FirstOrDefault(m => m.Kind == MatchKinds.Duplicate && StrongEnoughToAlias(m)) is { } duplicate)
        {
            return new IngestDecision(IngestAction.Alias, duplicate, null);
        }

        return new IngestDecision(IngestAction.Publish, null, null);
    }

    /// <summary>
    /// Aliasing drops the upload's own encode, so it needs more than a claim does: a picture-only match must have passed
    /// the 31-bit rule (score above <see cref="NearMatch.MaxScore"/>), or the sound must agree. A near match alone (a
    /// heavily re-encoded or captioned copy, or something merely close) is tagged and published: nothing is lost if it
    /// was wrong, and a low-quality copy never stands in for itself by pointing at a better one.
    /// </summary>
    public static bool StrongEnoughToAlias(CatalogMatch m) =>
        !string.Equals(m.Source, nameof(MatchSource.Video), StringComparison.OrdinalIgnoreCase) || m.Score > NearMatch.MaxScore;

    /// <summary>Names the reference, where in it the upload matched, and how well: what a producer needs to act on.</summary>
    public static string RejectReason(CatalogMatch m) => m.Kind == MatchKinds.AudioOnly
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"the upload's sound matches reference '{m.Name}' (id {m.EntryId}) in collection '{m.Collection}', whose policy is {RejectAudioOnlyPolicy} (sound alone rejects, " +
            $"though the picture differs): {m.MatchedSeconds:0.0} s match it at offset {m.OffsetSeconds:0.0} s (upload time + offset = reference time; score {m.Score:0.00}, by {m.Source})")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"the upload matches reference '{m.Name}' (id {m.EntryId}) in collection '{m.Collection}', whose policy is reject: " +
            $"{m.MatchedSeconds:0.0} s match it at offset {m.OffsetSeconds:0.0} s (upload time + offset = reference time; score {m.Score:0.00}, by {m.Source})");
}
