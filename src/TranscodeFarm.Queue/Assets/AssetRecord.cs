namespace TranscodeFarm.Queue.Assets;

/// <summary>One asset as the job database records it.</summary>
/// <param name="Generation">Which attempt's objects are published: the attempt number today, later the object-key prefix
/// g&lt;N&gt;/. 0 for an asset withdrawn or deleted before anything of it was published.</param>
/// <param name="ChangeSeq">Database-wide and strictly increasing in commit order, assigned to every change of any asset
/// (publish, withdraw, delete, purge). An edge caches objects under (asset, ChangeSeq): a new ChangeSeq drops what it
/// cached, and an edge that asks for the changes after the last one it saw never misses one.</param>
/// <param name="RequireToken">The edge serves the asset only with a valid playback token.</param>
/// <param name="Reason">Why it was withdrawn or deleted; null while published.</param>
public sealed record AssetRecord(
    string AssetId,
    AssetState State,
    int Generation,
    long ChangeSeq,
    DateTimeOffset ChangedAt,
    bool RequireToken,
    string? Reason);
