namespace TranscodeFarm.Core.Fingerprints;

/// <summary>How much of the query and of the asset a match covers (see <see cref="ContentMatch.Classify"/>).</summary>
public enum ContentOverlap
{
    /// <summary>Neither is mostly covered: shared footage or music, a clip of each.</summary>
    Partial,

    /// <summary>The query is mostly inside the asset: an excerpt of it.</summary>
    Excerpt,

    /// <summary>The asset is mostly inside the query: the upload contains it (a compilation, a longer cut).</summary>
    Contains,

    /// <summary>Both are mostly covered: the same content again.</summary>
    Duplicate,
}
