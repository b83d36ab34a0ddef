using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using TranscodeFarm.Core.Caching;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.Edge.Assets;
using TranscodeFarm.Edge.Caching;
using TranscodeFarm.Edge.Origins;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Edge.Serving;

/// <summary>
/// One response, with the same HTTP semantics whatever the body's source (a cached copy, a fetch still arriving, a
/// stream from the origin): If-None-Match / If-Modified-Since → 304; one byte range → 206 (If-Range honoured); several
/// ranges → the whole object with 200, as RFC 9110 §14.2 lets a server ignore Range; HEAD → headers only, no body read;
/// a manifest asked for with a token → rewritten so every URI in it carries the token, private to that viewer; an asset's
/// root manifest (<paramref name="rootFolder"/> set) → its generation's top manifest with every URI led into that folder.
/// </summary>
internal sealed class Reply(HttpContext context, string key, string assetId, ObjectKind kind, string rendition, string token, AssetLabels labels, string rootFolder = "")
{
    private HttpResponse Response => context.Response;

    private bool Personal => token.Length > 0 && kind == ObjectKind.Manifest;

    private bool Rewritten => Personal || rootFolder.Length > 0;

    /// <summary>From a cached copy; the caller holds a reference to its body until this completes.</summary>
    public Task FromCacheAsync(CachedObject entry, string cacheResult, TimeSpan age) =>
        SendAsync(entry.Info, entry.LastModified, cacheResult, age, () => Task.FromResult(entry.Data.ToArray()),
            (from, count) => WritePiecesAsync(entry.Data, from, from + count));

    public Task FromFillAsync(ObjectFill fill, ObjectInfo info, string cacheResult) =>
        SendAsync(info, FormatDate(info), cacheResult, null, () => WholeAsync(fill), (from, count) => StreamFillAsync(fill, from, count));

    public async Task FromOriginAsync(IEdgeOrigin origin, ObjectInfo info, string cacheResult, long changeSeq)
    {
        await SendAsync(info, FormatDate(info), cacheResult, null, async () =>
        {
            await using var whole = await origin.FetchAsync(key, new OriginRequest(AssetChangeSeq: changeSeq), context.RequestAborted);
            using var buffer = new MemoryStream();
            await (whole.Body ?? throw new IOException($"origin: {whole.Message ?? whole.Status.ToString()}")).CopyToAsync(buffer, context.RequestAborted);
            return buffer.ToArray();
        }, (from, count) => StreamOriginAsync(origin, from == 0 && count == info.Length ? null : new ByteRange(from, from + count - 1), changeSeq));
    }

    /// <summary>
    /// An object too large to cache whole (<paramref name="head"/>), from its slices: each one the request covers comes from
    /// the cache or one coalesced Range fetch, and a whole read fetches the next slice while it sends this one. X-Cache says
    /// HIT when every covered slice was held (memory or disk), else MISS.
    /// </summary>
    public Task FromSlicesAsync(EdgeCache cache, ObjectInfo head, long changeSeq)
    {
        var sliceBytes = cache.SliceBytes;
        var (_, from, count) = BodyAsked(head);
        var held = count == 0 || HttpMethods.IsHead(context.Request.Method) || AllHeld(cache, head, from, count, sliceBytes);
        return SendAsync(head, FormatDate(head), held ? "HIT" : "MISS", null,
            () => throw new InvalidOperationException("a sliced object is never a manifest"),
            (first, length) => WriteSlicesAsync(cache, head, changeSeq, first, length));
    }

    private bool AllHeld(EdgeCache cache, ObjectInfo head, long from, long count, long sliceBytes)
    {
        var (first, last) = Core.Caching.Slices.Covering(from, count, sliceBytes);
        for (var index = first; index <= last; index++)
        {
            if (!cache.IsResident(Core.Caching.Slices.KeyOf(key, index)))
            {
                return false;
            }
        }

        return true;
    }

    private async Task WriteSlicesAsync(EdgeCache cache, ObjectInfo head, long changeSeq, long from, long count)
    {
        var sliceBytes = cache.SliceBytes;
        var end = from + count;
        var (first, last) = Core.Caching.Slices.Covering(from, count, sliceBytes);
        for (var index = first; index <= last && !context.RequestAborted.IsCancellationRequested; index++)
        {
            if (index < last)
            {
                cache.PrefetchSlice(key, head, index + 1, changeSeq);
            }

            var (offset, length) = Core.Caching.Slices.Extent(index, head.Length, sliceBytes);
            var within = Math.Max(from, offset) - offset;
            await WriteSliceAsync(cache, head, changeSeq, index, offset, within, Math.Min(end, offset + length) - offset - within);
        }
    }

    /// <summary>Bytes [<paramref name="within"/>, +<paramref name="count"/>) of slice <paramref name="index"/>, which starts at
    /// <paramref name="offset"/> in the object.</summary>
    private async Task WriteSliceAsync(EdgeCache cache, ObjectInfo head, long changeSeq, long index, long offset, long within, long count)
    {
        if (cache.Peek(Core.Caching.Slices.KeyOf(key, index)) is { } held)
        {
            try
            {
                await WritePiecesAsync(held.Data, within, within + count);
            }
            finally
            {
                held.Data.Release();
            }

            return;
        }

        var (fill, _) = cache.FetchSlice(key, head, index, changeSeq);
        try
        {
            var answer = await fill.Head.WaitAsync(context.RequestAborted);
            switch (answer.Outcome)
            {
                case FillOutcome.Streaming:
                    await StreamFillAsync(fill, within, count);
                    return;
                case FillOutcome.NoBuffer:
                    await StreamOriginAsync(cache.Origin, new ByteRange(offset + within, offset + within + count - 1), changeSeq);
                    return;
                default:
                    // The headers are sent: IOException makes SendAsync break the response, so the player sees it short.
                    throw new IOException($"slice {index} of {key}: {answer.Message ?? answer.Outcome.ToString()}");
            }
        }
        finally
        {
            fill.Leave();
        }
    }

    private async Task StreamOriginAsync(IEdgeOrigin origin, ByteRange? range, long changeSeq)
    {
        await using var part = await origin.FetchAsync(key, new OriginRequest(null, range, changeSeq), context.RequestAborted);
        if (part.Body is null)
        {
            EdgeMetrics.OriginErrors.WithLabels(part.Error == OriginError.Timeout ? "timeout" : "body").Inc();
            context.Abort(); // the headers promised a body the origin no longer gives
            return;
        }

        // A chunk-sized copy buffer: the default (81,920 bytes, pooled as 128 KiB) is a large-object-heap array whenever
        // the shared pool has none left, which is what many concurrent pass-through misses make.
        await part.Body.CopyToAsync(Response.Body, ChunkPool.DefaultChunkSize, context.RequestAborted);
    }

    private async Task SendAsync(ObjectInfo info, string lastModified, string cacheResult, TimeSpan? age, Func<Task<byte[]>> whole, Func<long, long, Task> write)
    {
        var fromCache = cacheResult is "HIT" or "STALE";
        var headers = Response.Headers;
        headers[EdgeHeaders.Cache] = cacheResult;
        if (age is { } a)
        {
            headers.Age = ((long)a.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        headers.ContentType = info.ContentType;
        try
        {
            if (Rewritten)
            {
                await SendRewrittenAsync(info, lastModified, whole, cacheResult, fromCache);
                return;
            }

            if (info.ETag.Length > 0)
            {
                headers.ETag = info.ETag;
            }

            headers.LastModified = lastModified;
            headers.CacheControl = info.CacheControl;
            headers.AcceptRanges = "bytes";
            if (NotModified(info))
            {
                Response.StatusCode = StatusCodes.Status304NotModified;
                Count(cacheResult, 0, fromCache);
                return;
            }

            var (rangeKind, from, count) = BodyAsked(info);
            if (rangeKind == RangeKind.Unsatisfiable)
            {
                Response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                headers.ContentRange = $"bytes */{info.Length}";
                Count(cacheResult, 0, fromCache);
                return;
            }

            if (rangeKind == RangeKind.Single)
            {
                Response.StatusCode = StatusCodes.Status206PartialContent;
                headers.ContentRange = $"bytes {from}-{from + count - 1}/{info.Length}";
            }

            Response.ContentLength = count;
            Count(cacheResult, HttpMethods.IsHead(context.Request.Method) ? 0 : count, fromCache);
            if (!HttpMethods.IsHead(context.Request.Method) && count > 0)
            {
                await write(from, count);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // the player went away
        }
        catch (IOException)
        {
            // The origin failed after it had answered (a body cut short, a second fetch refused): the fill or the origin has
            // logged why. Nothing sent yet: a one-line 502; else the promised length cannot be kept, so the player sees a break.
            EdgeMetrics.OriginErrors.WithLabels("body").Inc();
            if (Response.HasStarted)
            {
                context.Abort();
                return;
            }

            Response.Clear();
            Response.StatusCode = StatusCodes.Status502BadGateway;
            Response.Headers.CacheControl = "no-store";
            Response.ContentType = "text/plain; charset=utf-8";
            await Response.WriteAsync("the origin failed while sending this object\n", context.RequestAborted);
        }
    }

    /// <summary>A manifest whose body is made per response: whole (no ranges), its validators those of the stored object and
    /// the generation it was led into.</summary>
    private async Task SendRewrittenAsync(ObjectInfo info, string lastModified, Func<Task<byte[]>> whole, string cacheResult, bool fromCache)
    {
        var isDash = key.EndsWith(".mpd", StringComparison.Ordinal);
        if (Personal)
        {
            // The stored manifest is shared; this copy carries one viewer's token and must never be cached by anyone.
            Response.Headers.CacheControl = "private, no-store";
        }
        else
        {
            // The same bytes for everyone while this generation is published: cacheable as a manifest, and validated.
            Response.Headers.CacheControl = info.CacheControl;
            Response.Headers.LastModified = lastModified;
            if (info.ETag.Length > 1 && info.ETag[^1] == '"')
            {
                var etag = info.ETag[..^1] + "-" + rootFolder + "\"";
                Response.Headers.ETag = etag;
                if (context.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } tags && Matches(tags, etag))
                {
                    Response.StatusCode = StatusCodes.Status304NotModified;
                    Count(cacheResult, 0, fromCache);
                    return;
                }
            }
        }

        var text = Encoding.UTF8.GetString(await whole());
        if (rootFolder.Length > 0)
        {
            text = RootManifests.ForRoot(text, isDash, rootFolder);
        }

        if (token.Length > 0)
        {
            text = isDash ? MediaTokens.ApplyToDash(text, token) : MediaTokens.ApplyToHls(text, token);
        }

        var rewritten = Encoding.UTF8.GetBytes(text);
        Response.ContentLength = rewritten.Length;
        Count(cacheResult, rewritten.Length, fromCache);
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await Response.Body.WriteAsync(rewritten, context.RequestAborted);
        }
    }

    private bool NotModified(ObjectInfo info)
    {
        var request = context.Request.GetTypedHeaders();
        if (request.IfNoneMatch is { Count: > 0 } tags)
        {
            return Matches(tags, info.ETag);
        }

        return request.IfModifiedSince is { } since && info.LastModified.ToUnixTimeSeconds() <= since.ToUnixTimeSeconds();
    }

    /// <summary>If-None-Match against the current tag: weak comparison, "*" matches anything.</summary>
    private static bool Matches(IList<EntityTagHeaderValue> tags, string etag) =>
        etag.Length > 0 && EntityTagHeaderValue.TryParse(etag, out var current)
        && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));

    /// <summary>The bytes a GET will send: the one range asked (Single), else all (Whole); none when Unsatisfiable.</summary>
    private (RangeKind Kind, long From, long Count) BodyAsked(ObjectInfo info)
    {
        if (RangeAsked(info) is not { } range)
        {
            return (RangeKind.Whole, 0, info.Length);
        }

        var (kind, first, last) = RangeHeader.Parse(range, info.Length);
        return kind switch
        {
            RangeKind.Unsatisfiable => (kind, 0, 0),
            RangeKind.Single => (kind, first, last - first + 1),
            _ => (RangeKind.Whole, 0, info.Length),
        };
    }

    /// <summary>The Range header to honour, or null: only on GET, and only while If-Range (if sent) still matches.</summary>
    private string? RangeAsked(ObjectInfo info)
    {
        var range = context.Request.Headers.Range.ToString();
        if (range.Length == 0 || !HttpMethods.IsGet(context.Request.Method))
        {
            return null;
        }

        var ifRange = context.Request.Headers.IfRange.ToString();
        if (ifRange.Length == 0)
        {
            return range;
        }

        if (ifRange.StartsWith('"'))
        {
            return ifRange == info.ETag ? range : null; // strong comparison only
        }

        return DateTimeOffset.TryParse(ifRange, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            && date.ToUnixTimeSeconds() == info.LastModified.ToUnixTimeSeconds() ? range : null;
    }

    /// <summary>Sends bytes [<paramref name="from"/>, <paramref name="end"/>) of a body, one contiguous piece per chunk.</summary>
    private async Task WritePiecesAsync(PooledBody body, long from, long end)
    {
        while (from < end)
        {
            var piece = body.Piece(from, end - from);
            await Response.Body.WriteAsync(piece, context.RequestAborted);
            from += piece.Length;
        }
    }

    private async Task StreamFillAsync(ObjectFill fill, long from, long count)
    {
        var position = from;
        var end = from + count;
        while (position < end)
        {
            var written = fill.Written;
            if (written > position)
            {
                var upTo = Math.Min(written, end);
                await WritePiecesAsync(fill.Body, position, upTo);
                position = upTo;
                continue;
            }

            if (fill.Error is not null)
            {
                context.Abort(); // the length was promised: a short body must look broken to the player, not complete
                return;
            }

            await fill.WaitBeyondAsync(position, context.RequestAborted);
        }
    }

    private async Task<byte[]> WholeAsync(ObjectFill fill)
    {
        while (!fill.Completed)
        {
            if (fill.Error is { } error)
            {
                throw new IOException(error);
            }

            await fill.WaitBeyondAsync(fill.Written, context.RequestAborted);
        }

        return fill.Body.ToArray();
    }

    private void Count(string cacheResult, long bytes, bool fromCache)
    {
        EdgeMetrics.Record(kind, cacheResult switch
        {
            "HIT" => "hit",
            "STALE" => "stale",
            "MISS" => "miss",
            "COALESCED" => "coalesced",
            _ => "bypass",
        }, bytes, fromCache);
        labels.Record(assetId, rendition, fromCache, bytes);
    }

    private static string FormatDate(ObjectInfo info) => info.LastModified.ToString("R", CultureInfo.InvariantCulture);
}
