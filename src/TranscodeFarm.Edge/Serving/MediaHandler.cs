using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Assets;
using TranscodeFarm.Core.Drm;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Edge.Assets;
using TranscodeFarm.Edge.Caching;
using TranscodeFarm.Edge.Origins;

namespace TranscodeFarm.Edge.Serving;

/// <summary>
/// GET and HEAD of <c>/vod/{asset}/{file}</c>: access (published assets only, playback tokens), then the cache (HIT),
/// a stale copy (STALE, refreshed in the background or kept while the origin fails), the fetch already in flight
/// (COALESCED), a new fetch (MISS); an object too large to cache whole from its cached slices (HIT, or MISS when a covered
/// slice had to be fetched), or, with slicing off (Edge:SliceBytes 0) or for a manifest, a stream from the origin (BYPASS).
/// </summary>
public sealed partial class MediaHandler(EdgeCache cache, EdgeAssets assets, PlaybackAccess access, AssetLabels labels,
    IOptions<EdgeOptions> options, ILogger<MediaHandler> logger)
{
    public async Task ServeAsync(HttpContext context)
    {
        var key = context.Request.RouteValues["path"] as string;
        var slash = key?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (key is null || slash <= 0 || !ObjectKeys.IsValid(key))
        {
            await RefuseAsync(context, ObjectKind.Other, "bad_request", StatusCodes.Status400BadRequest, "invalid asset path");
            return;
        }

        if (ObjectKeys.IsReserved(key))
        {
            // The farm's own probe objects (health checks, store init) are no asset, whatever the origin holds.
            await RefuseAsync(context, ObjectKind.Other, "not_found", StatusCodes.Status404NotFound, "no such asset");
            return;
        }

        var assetId = key[..slash];
        var (kind, rendition) = OutputLayout.Classify(key[(key.LastIndexOf('/') + 1)..]);
        var trusted = access.IsShieldRequest(context.Request);
        var changeSeq = 0L;
        var rootFolder = "";
        var requireToken = options.Value.RequireToken;
        if (cache.Origin.IsFarmStore)
        {
            var view = await assets.LookupAsync(assetId, context.RequestAborted);
            if (trusted && long.TryParse(context.Request.Headers[EdgeHeaders.AssetChangeSeq], NumberStyles.None, CultureInfo.InvariantCulture, out var childSeq)
                && childSeq > (view?.ChangeSeq ?? 0))
            {
                // The child edge knows a newer state of this asset than we do: catch up before answering from cache.
                await assets.CatchUpAsync(context.RequestAborted);
                view = await assets.LookupAsync(assetId, context.RequestAborted);
            }

            if (view is not { Servable: true })
            {
                await RefuseAsync(context, kind, "not_found", StatusCodes.Status404NotFound, "no such asset");
                return;
            }

            if (GenerationPaths.StoredKey(key, assetId, view.Generation) is not { } stored)
            {
                await RefuseAsync(context, kind, "not_found", StatusCodes.Status404NotFound, "no such object in a published generation");
                return;
            }

            if (stored != key && view.Generation > 0)
            {
                rootFolder = ObjectKeys.GenerationFolder(view.Generation); // a root manifest: served with its URIs led into it
            }

            key = stored;
            changeSeq = view.ChangeSeq;
            requireToken |= view.RequireToken;
            if (trusted)
            {
                context.Response.Headers[EdgeHeaders.AssetChangeSeq] = changeSeq.ToString(CultureInfo.InvariantCulture);
            }
        }
        else if (await assets.LookupAsync(assetId, context.RequestAborted) is { } known)
        {
            if (!known.Servable)
            {
                // Withdrawn or deleted in the job database this edge follows: gone here too, whatever the parent still has.
                await RefuseAsync(context, kind, "not_found", StatusCodes.Status404NotFound, "no such asset");
                return;
            }

            // Behind an HTTP origin the parent decides what exists; this edge still follows purges and token policy.
            changeSeq = known.ChangeSeq;
            requireToken |= known.RequireToken;
        }

        var token = trusted ? "" : PlaybackAccess.TokenOf(context.Request);
        if (requireToken && !trusted && Refusal(context, assetId) is { } refusal)
        {
            await RefuseAsync(context, kind, "refused", StatusCodes.Status403Forbidden, refusal);
            return;
        }

        var reply = new Reply(context, key, assetId, kind, rendition, token, labels, rootFolder);
        if (cache.LargeHead(key) is { } large)
        {
            await reply.FromSlicesAsync(cache, large, changeSeq);
            return;
        }

        var entry = cache.Peek(key);
        try
        {
            await ServeCachedOrFetchAsync(context, reply, key, kind, entry, changeSeq);
        }
        finally
        {
            entry?.Data.Release(); // Peek's reference, whichever way the request ended (served, failed, aborted)
        }
    }

    /// <summary>From <paramref name="entry"/> (retained by the caller) while it is fresh or may be served stale, else
    /// from the fetch in flight or a new one.</summary>
    private async Task ServeCachedOrFetchAsync(HttpContext context, Reply reply, string key, ObjectKind kind, CachedObject? entry, long changeSeq)
    {
        var age = entry is null ? TimeSpan.Zero : cache.Age(entry);
        if (entry is not null)
        {
            switch (cache.Freshness.Judge(age, entry.Mutable))
            {
                case Core.Caching.FreshnessState.Fresh:
                    await reply.FromCacheAsync(entry, "HIT", age);
                    return;
                case Core.Caching.FreshnessState.StaleRevalidate:
                    cache.Refresh(key, entry, changeSeq); // one background refresh; this request does not wait for it
                    EdgeMetrics.StaleResponses.WithLabels("revalidating").Inc();
                    await reply.FromCacheAsync(entry, "STALE", age);
                    return;
            }
        }

        var (fill, started) = cache.Fetch(key, entry, changeSeq);
        try
        {
            var head = await fill.Head.WaitAsync(context.RequestAborted);
            switch (head.Outcome)
            {
                case FillOutcome.Streaming:
                    await reply.FromFillAsync(fill, head.Info!, fill.FromDisk ? "HIT" : started ? "MISS" : "COALESCED");
                    return;
                case FillOutcome.NotModified when entry is not null:
                    await reply.FromCacheAsync(entry, "HIT", TimeSpan.Zero);
                    return;
                case FillOutcome.NotFound:
                    await RefuseAsync(context, kind, "not_found", StatusCodes.Status404NotFound, "no such object");
                    return;
                case FillOutcome.TooLarge when cache.LargeHead(key) is { } large:
                    await reply.FromSlicesAsync(cache, large, changeSeq);
                    return;
                case FillOutcome.TooLarge or FillOutcome.NoBuffer:
                    await reply.FromOriginAsync(cache.Origin, head.Info!, head.Outcome == FillOutcome.TooLarge ? "BYPASS" : "MISS", changeSeq);
                    return;
            }

            if (entry is not null && cache.Freshness.MayServeOnError(age, entry.Mutable))
            {
                EdgeMetrics.StaleResponses.WithLabels("origin_error").Inc();
                await reply.FromCacheAsync(entry, "STALE", age);
                return;
            }

            LogUnavailable(logger, key, head.Error, head.Message ?? "");
            await RefuseAsync(context, kind, "error", head.Error == OriginError.Timeout ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway, Unavailable(head.Error));
        }
        finally
        {
            fill.Leave(); // the fill's body goes back to the pool when its last reader is done
        }
    }

    private string? Refusal(HttpContext context, string assetId)
    {
        TokenCheck check;
        try
        {
            check = access.Check(context, assetId);
        }
        catch (InvalidOperationException)
        {
            return "this edge requires playback tokens but has no Drm:TokenSigningKey to check them";
        }

        return check switch
        {
            TokenCheck.Valid => null,
            TokenCheck.Malformed when PlaybackAccess.TokenOf(context.Request).Length == 0 => "a playback token is required (query token= or cookie tf_token)",
            TokenCheck.Malformed => "the playback token is malformed",
            TokenCheck.BadSignature => "the playback token's signature is not valid",
            TokenCheck.Expired => "the playback token has expired",
            TokenCheck.WrongAsset => "the playback token is for another asset",
            TokenCheck.WrongClient => "the playback token is bound to another client address",
            _ => "the playback token was refused",
        };
    }

    /// <summary>What a player is told when the origin failed: the kind of fault, never the store's details (those are logged).</summary>
    internal static string Unavailable(OriginError error) => error switch
    {
        OriginError.Timeout => "the origin did not answer in time",
        OriginError.Refused => "the origin refused this edge (its store credentials or permissions are wrong)",
        OriginError.Unreachable => "the origin cannot be reached",
        OriginError.ServerError => "the origin failed",
        _ => "the origin is unavailable",
    };

    /// <summary>An error or refusal: a one-line reason, never cached by anyone.</summary>
    private static async Task RefuseAsync(HttpContext context, ObjectKind kind, string result, int status, string reason)
    {
        EdgeMetrics.Record(kind, result, 0, null);
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.WriteAsync(reason + "\n", context.RequestAborted);
        }
    }

    // Debug: the fetch that failed has said why at warning, once however many requests waited on it (EdgeCache).
    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not serve {Key}: origin {Error}: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string key, OriginError error, string reason);
}
