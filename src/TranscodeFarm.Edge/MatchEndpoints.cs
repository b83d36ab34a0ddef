using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Media;
using TranscodeFarm.Catalog;

namespace TranscodeFarm.Edge;

/// <summary>
/// The match API: POST /api/match with a media file as the body (fingerprinted here with ffmpeg), or
/// GET /api/match/assets/{asset} for a published asset; both answer a <see cref="MatchReport"/> as JSON. Callers need
/// the admin token (or the match-only token) as bearer, unless Edge:OpenMatch opens the API; the Host and cross-site
/// checks of every control surface (<see cref="ControlSurfaceGuard"/>) come first, and no CORS is ever granted.
/// </summary>
public static class MatchEndpoints
{
    public static IEndpointRouteBuilder MapMatch(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/match", MatchUploadAsync);
        endpoints.MapGet("/api/match/assets/{asset}", MatchAssetAsync);
        return endpoints;
    }

    private static async Task<IResult> MatchUploadAsync(HttpContext context, PlaybackAccess access, FingerprintExtractor extractor, FingerprintCatalog catalog,
        IOptions<EdgeOptions> edge, IOptions<FingerprintOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Refuse(context, access) is { } refused)
        {
            return refused;
        }

        if (context.Request.ContentLength > edge.Value.MaxMatchUploadBytes)
        {
            return TooLarge(edge.Value);
        }

        var started = time.GetTimestamp();
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = edge.Value.MaxMatchUploadBytes;
        }

        var name = context.Request.Query["name"].ToString() is { Length: > 0 and <= 200 } given ? given : "upload";
        var temp = Directory.CreateTempSubdirectory("transcodefarm-match-");
        try
        {
            // A fixed file name: ffmpeg never sees anything the client chose.
            var path = Path.Combine(temp.FullName, "upload");
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                try
                {
                    await context.Request.Body.CopyToAsync(file, cancellationToken);
                }
                catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    return TooLarge(edge.Value);
                }

                if (file.Length == 0)
                {
                    return Result("bad_request", Results.BadRequest(new { error = "send the media file as the request body" }));
                }
            }

            var (fingerprint, error) = await extractor.ExtractAsync(path, cancellationToken);
            if (fingerprint is null)
            {
                return Result("undecodable", Results.UnprocessableEntity(new { error = "the file could not be fingerprinted: " + error?.Split('\n')[0] }));
            }

            return await ReportAsync(catalog, options.Value, name, fingerprint.Video, fingerprint.Audio, null, time, started, cancellationToken);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    private static async Task<IResult> MatchAssetAsync(string asset, HttpContext context, PlaybackAccess access, FingerprintCatalog catalog,
        IOptions<FingerprintOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Refuse(context, access) is { } refused)
        {
            return refused;
        }

        var started = time.GetTimestamp();
        if (await catalog.Store.GetAsync(FingerprintCollections.Assets, asset, cancellationToken) is not { } stored)
        {
            return Result("bad_request", Results.NotFound(new { error = $"asset '{asset}' has no stored fingerprint" }));
        }

        return await ReportAsync(catalog, options.Value, asset, stored.Video, stored.Audio, stored.Key, time, started, cancellationToken);
    }

    private static async Task<IResult> ReportAsync(FingerprintCatalog catalog, FingerprintOptions options, string name, VideoFingerprint? video,
        AudioFingerprint? audio, string? exclude, TimeProvider time, long started, CancellationToken cancellationToken)
    {
        var query = MatchQuery.Of(name, video, audio);
        var matches = await catalog.MatchAsync(video, audio, query.DurationSeconds, exclude, options.MaxMatches, options.DuplicateCoverage, cancellationToken);
        EdgeMetrics.MatchSeconds.Observe(time.GetElapsedTime(started).TotalSeconds);
        return Result(matches.Count > 0 ? "matched" : "no_match", Results.Json(new MatchReport(query, matches, catalog.Count)));
    }

    private static IResult? Refuse(HttpContext context, PlaybackAccess access)
    {
        if (access.RefuseMatch(context.Request) is not { } reason)
        {
            return null;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Result("refused", Results.Json(new { error = reason }, statusCode: StatusCodes.Status401Unauthorized));
    }

    private static IResult TooLarge(EdgeOptions edge) =>
        Result("bad_request", Results.Json(new { error = $"the file is larger than Edge:MaxMatchUploadBytes ({edge.MaxMatchUploadBytes} bytes)" }, statusCode: StatusCodes.Status413PayloadTooLarge));

    private static IResult Result(string result, IResult response)
    {
        EdgeMetrics.MatchRequests.WithLabels(result).Inc();
        return response;
    }
}
