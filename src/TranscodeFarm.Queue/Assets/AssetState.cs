namespace TranscodeFarm.Queue.Assets;

/// <summary>What the edge may do with an asset. Stored lower-case ("published", "withdrawn", "deleted").</summary>
public enum AssetState
{
    /// <summary>Served: the row's generation is the one the root manifests point into.</summary>
    Published,

    /// <summary>Not served: rejected after upload, or taken down; its objects may still exist.</summary>
    Withdrawn,

    /// <summary>Not served, and its objects are gone or going.</summary>
    Deleted,
}
