using TranscodeFarm.Storage;

namespace TranscodeFarm.Edge.Origins;

public enum OriginStatus
{
    Ok,
    NotModified,
    NotFound,
    Failed,
}

/// <summary>Why an origin fetch failed, as operators graph it and as the player's status says (504 for timeouts, else 502).</summary>
public enum OriginError
{
    None,
    Timeout,
    Unreachable,
    /// <summary>The origin refused the edge (wrong store credentials, shield credential): a configuration fault.</summary>
    Refused,
    ServerError,
    /// <summary>The origin answered something the edge cannot use (no length, a truncated body).</summary>
    Protocol,
}

/// <summary>An origin's answer. With <see cref="OriginStatus.Ok"/> the body is open and the receiver disposes the response.</summary>
public sealed class OriginResponse : IAsyncDisposable
{
    private readonly IDisposable? _owner;

    private OriginResponse(OriginStatus status, ObjectInfo? info, Stream? body, OriginError error, string? message, long assetChangeSeq, IDisposable? owner = null)
    {
        _owner = owner;
        Status = status;
        Info = info;
        Body = body;
        Error = error;
        Message = message;
        AssetChangeSeq = assetChangeSeq;
    }

    public OriginStatus Status { get; }
    public ObjectInfo? Info { get; }
    public Stream? Body { get; }
    public OriginError Error { get; }
    public string? Message { get; }

    /// <summary>The asset's change number the upstream edge served at (0 when the origin is not an edge).</summary>
    public long AssetChangeSeq { get; }

    /// <param name="owner">Released with the body (an HTTP response and so its pooled connection).</param>
    public static OriginResponse Ok(ObjectInfo info, Stream body, long assetChangeSeq = 0, IDisposable? owner = null) =>
        new(OriginStatus.Ok, info, body, OriginError.None, null, assetChangeSeq, owner);

    public static OriginResponse NotModified(ObjectInfo? info) => new(OriginStatus.NotModified, info, null, OriginError.None, null, 0);

    public static readonly OriginResponse NotFound = new(OriginStatus.NotFound, null, null, OriginError.None, null, 0);

    public static OriginResponse Failed(OriginError error, string message) => new(OriginStatus.Failed, null, null, error, message, 0);

    public async ValueTask DisposeAsync()
    {
        if (Body is not null)
        {
            await Body.DisposeAsync();
        }

        _owner?.Dispose();
    }
}
