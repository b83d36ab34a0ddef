using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TranscodeFarm.Core.Assets;
using TranscodeFarm.Core.Caching;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Edge;

/// <summary>
/// Serves packaged assets at /vod/{asset}/{file}. Small objects come from the byte-budget cache (X-Cache: HIT
/// or MISS); large ones stream from the store (BYPASS). ASP.NET Core's result types do Range, ETag /
/// If-None-Match and Last-Modified handling.
/// </summary>
public static class EdgeEndpoints
{
    public const string CorsPolicy = "players";

    public static IServiceCollection AddEdge(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EdgeOptions>().Bind(configuration.GetSection(EdgeOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EdgeOptions>, EdgeOptionsValidator>();
        services.AddSingleton<EdgeCache>();
        services.AddCors(o => o.AddPolicy(CorsPolicy, p => p
            .AllowAnyOrigin()
            .WithMethods("GET", "HEAD", "OPTIONS")
            .WithHeaders("Range", "If-None-Match", "If-Modified-Since", "Authorization")
            .WithExposedHeaders("Content-Length", "Content-Range", "ETag", "X-Cache")));
        services.AddCors(o => o.AddPolicy(DrmEndpoints.CorsPolicy, p => p
            .AllowAnyOrigin()
            .WithMethods("POST", "OPTIONS")
            .WithHeaders("Content-Type", "Authorization")));
        return services;
    }

    public static IEndpointRouteBuilder MapEdge(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/vod/{**path}", ["GET", "HEAD"], ServeAsync).RequireCors(CorsPolicy);
        endpoints.MapDrm();
        endpoints.MapMatch();
        return endpoints;
    }

    private static async Task<IResult> ServeAsync(string? path, HttpContext context, IObjectStore store, EdgeCache cache, CancellationToken cancellationToken)
    {
        if (path is null || !ObjectKeys.IsValid(path))
        {
            EdgeMetrics.Record("bad_request", 0);
            return Results.BadRequest("invalid asset path");
        }

        var headers = context.Response.Headers;
        if (cache.TryGet(path, out var hit))
        {
            headers["X-Cache"] = "HIT";
            EdgeMetrics.Record("hit", hit.Data.Length);
            return Serve(context, hit.Info, hit.Data);
        }

        // One GET: small objects (the common case: segments, manifests) are read and cached from it; a large one
        // is closed again and streamed, with ranges asked of the store.
        await using var content = await store.GetAsync(path, null, cancellationToken);
        if (content is null)
        {
            EdgeMetrics.Record("not_found", 0);
            return Results.NotFound();
        }

        if (!cache.ShouldCache(content.Info.Length))
        {
            await content.DisposeAsync();
            return await StreamAsync(context, store, path, content.Info, cancellationToken);
        }

        var data = new byte[content.Info.Length];
        await content.Stream.ReadExactlyAsync(data, cancellationToken);
        cache.Set(path, data, content.Info);
        headers["X-Cache"] = "MISS";
        EdgeMetrics.Record("miss", data.Length);
        return Serve(context, content.Info, data);
    }

    /// <summary>
    /// Objects too large to cache stream from the store. Ranges are asked of the store itself (an S3 response
    /// stream cannot seek), so a player seeking in a large file never pulls the whole object through the edge.
    /// </summary>
    private static async Task<IResult> StreamAsync(HttpContext context, IObjectStore store, string path, ObjectInfo info, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.Headers["X-Cache"] = "BYPASS";
        response.Headers.AcceptRanges = "bytes";
        SetCommonHeaders(context, info);
        if (context.Request.Headers.IfNoneMatch.ToString() == info.ETag)
        {
            EdgeMetrics.Record("bypass", 0);
            response.Headers.ETag = info.ETag;
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var (kind, from, to) = RangeHeader.Parse(context.Request.Headers.Range, info.Length);
        if (kind == RangeKind.Unsatisfiable)
        {
            response.Headers.ContentRange = $"bytes */{info.Length}";
            return Results.StatusCode(StatusCodes.Status416RangeNotSatisfiable);
        }

        var range = kind == RangeKind.Single ? new ByteRange(from, to) : (ByteRange?)null;
        var content = await store.GetAsync(path, range, cancellationToken);
        if (content is null)
        {
            return Results.NotFound();
        }

        context.Response.RegisterForDisposeAsync(content);
        response.Headers.ETag = info.ETag;
        if (range is { } r)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {r.From}-{r.To}/{info.Length}";
            response.ContentLength = r.Length;
            EdgeMetrics.Record("bypass", r.Length);
            return Results.Stream(content.Stream, info.ContentType, enableRangeProcessing: false);
        }

        EdgeMetrics.Record("bypass", info.Length);
        response.ContentLength = info.Length;
        return Results.Stream(content.Stream, info.ContentType, lastModified: info.LastModified, enableRangeProcessing: false);
    }

    private static IResult Serve(HttpContext context, ObjectInfo info, byte[] data)
    {
        if (context.Request.Query["token"].ToString() is { Length: > 0 } token && context.Request.Path.Value?.EndsWith(".m3u8", StringComparison.Ordinal) == true)
        {
            // A viewer's playlist: its key and playlist URIs carry the viewer's token; never cached by others.
            context.Response.Headers.CacheControl = "private, no-store";
            var text = Core.Manifests.MediaTokens.ApplyToHls(System.Text.Encoding.UTF8.GetString(data), token);
            return Results.Text(text, info.ContentType);
        }

        SetCommonHeaders(context, info);
        return Results.Bytes(data, info.ContentType, lastModified: info.LastModified,
            entityTag: EntityTagHeaderValue.Parse(info.ETag), enableRangeProcessing: true);
    }

    private static void SetCommonHeaders(HttpContext context, ObjectInfo info) =>
        context.Response.Headers.CacheControl = info.CacheControl;
}
