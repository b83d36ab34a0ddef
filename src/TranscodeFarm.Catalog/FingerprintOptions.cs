using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Catalog;

/// <summary>Matching and ingest policy on fingerprints (decision 012). Same on every host of a farm.</summary>
public sealed class FingerprintOptions
{
    public const string Section = "Fingerprint";

    /// <summary>An upload that duplicates a published asset: "tag" (publish, record the duplicate), "alias" (fingerprint
    /// the source first and, when it duplicates an asset, skip encoding: the job's outputs are that asset's), or "off".</summary>
    public string Duplicates { get; set; } = IngestPolicy.Tag;

    /// <summary>A match is a duplicate when it spans this fraction of both the upload and the asset.</summary>
    public double DuplicateCoverage { get; set; } = MatchKinds.DefaultCoverage;

    /// <summary>Reference collections and their policy ("reject", "reject-audio-only" or "tag"):
    /// Fingerprint:Collections:blocked:Policy=reject. A collection not listed here tags. "reject" rejects claims
    /// (picture, or sound with no contradicting picture); "reject-audio-only" also rejects sound alone under another picture.</summary>
    public Dictionary<string, FingerprintCollectionOptions> Collections { get; set; } = new(StringComparer.Ordinal)
    {
        ["blocked"] = new() { Policy = IngestPolicy.RejectPolicy },
    };

    /// <summary>Decode every rendition once after the encode and compare it with the source's fingerprint before publishing.</summary>
    public bool QualityGate { get; set; } = true;

    /// <summary>How often a host's index catches up with the database when nothing queries it.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Worker hosts re-extract stored fingerprints older than the current form at start (issue 17; see
    /// <c>transcodefarm fingerprint reindex</c>).</summary>
    public bool ReindexAtStart { get; set; } = true;

    /// <summary>Matches reported per query.</summary>
    public int MaxMatches { get; set; } = 10;

    public string PolicyOf(string collection) =>
        Collections.TryGetValue(collection, out var c) ? c.Policy : IngestPolicy.Tag;
}

public sealed class FingerprintCollectionOptions
{
    public string Policy { get; set; } = IngestPolicy.Tag;
}
