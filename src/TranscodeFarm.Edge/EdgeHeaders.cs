namespace TranscodeFarm.Edge;

/// <summary>Headers edges speak among themselves and to players (defined once, used by both ends).</summary>
public static class EdgeHeaders
{
    /// <summary>HIT, MISS, STALE, COALESCED (waited on another request's fetch) or BYPASS (too large to cache).</summary>
    public const string Cache = "X-Cache";

    /// <summary>The shared edge credential (Edge:ShieldCredential) a child edge sends to its parent.</summary>
    public const string Credential = "X-TranscodeFarm-Edge-Credential";

    /// <summary>The asset's change number: asked with by a child, answered with by a parent (a stale parent catches up first).</summary>
    public const string AssetChangeSeq = "X-TranscodeFarm-Asset-Seq";
}
