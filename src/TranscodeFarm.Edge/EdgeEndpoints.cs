using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TranscodeFarm.Core.Assets;
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
            .WithHeaders("Range", "If-None-Match", "If-Modified-Since")
            .WithExposedHeaders("Content-Length", "Content-Range", "ETag", "X-Cache")));
        return services;
    }

    public static IEndpointRouteBuilder MapEdge(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/vod/{**path}", ["GET", "HEAD"], ServeAsync).RequireCors(CorsPolicy);
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

        var info = await store.HeadAsync(path, cancellationToken);
        if (info is null)
        {
            EdgeMetrics.Record("not_found", 0);
            return Results.NotFound();
        }

        if (cache.ShouldCache(info.Length))
        {
            await using var content = await store.GetAsync(path, null, cancellationToken);
            if (content is null)
            {
                EdgeMetrics.Record("not_found", 0);
                return Results.NotFound();
            }

            var data = new byte[content.Info.Length];
            await content.Stream.ReadExactlyAsync(data, cancellationToken);
            cache.Set(path, data, content.Info);
            headers["X-Cache"] = "MISS";
            EdgeMetrics.Record("miss", data.Length);
            return Serve(context, content.Info, data);
        }

        var stream = await store.GetAsync(path, null, cancellationToken);
        if (stream is null)
        {
            return Results.NotFound();
        }

        headers["X-Cache"] = "BYPASS";
        EdgeMetrics.Record("bypass", info.Length);
        context.Response.RegisterForDisposeAsync(stream);
        SetCommonHeaders(context, stream.Info);
        return Results.Stream(stream.Stream, stream.Info.ContentType, lastModified: stream.Info.LastModified,
            entityTag: EntityTagHeaderValue.Parse(stream.Info.ETag), enableRangeProcessing: stream.Stream.CanSeek);
    }

    private static IResult Serve(HttpContext context, ObjectInfo info, byte[] data)
    {
        SetCommonHeaders(context, info);
        return Results.Bytes(data, info.ContentType, lastModified: info.LastModified,
            entityTag: EntityTagHeaderValue.Parse(info.ETag), enableRangeProcessing: true);
    }

    private static void SetCommonHeaders(HttpContext context, ObjectInfo info) =>
        context.Response.Headers.CacheControl = info.CacheControl;
}
