using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using TranscodeFarm.Core.Assets;
using TranscodeFarm.Core.Drm;
using TranscodeFarm.Keys;

namespace TranscodeFarm.Edge;

/// <summary>
/// Key delivery on the edge, both behind a signed, expiring playback token bound to one asset:
/// GET /keys/{asset}/{kid} returns the raw 16-byte key (HLS AES-128, ClearKey "identity");
/// POST /license/clearkey/{asset} answers a W3C ClearKey license request with the asked-for keys.
/// </summary>
public static partial class DrmEndpoints
{
    public const string CorsPolicy = "licenses";

    public static IEndpointRouteBuilder MapDrm(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/keys/{asset}/{kid}", GetKeyAsync).RequireCors(EdgeEndpoints.CorsPolicy);
        endpoints.MapPost("/license/clearkey/{asset}", LicenseAsync).RequireCors(CorsPolicy);
        return endpoints;
    }

    private static async Task<IResult> GetKeyAsync(string asset, string kid, HttpContext context, IContentKeyStore keys, PlaybackAccess access,
        ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (Refuse(asset, context, access, logs) is { } refused)
        {
            return refused;
        }

        if (!Guid.TryParseExact(kid, "N", out var keyId))
        {
            return Results.BadRequest("the key id must be 32 hex digits");
        }

        var delivery = await keys.ClearDeliveryAsync(asset, [keyId], cancellationToken);
        if (delivery.Keys.Count == 0)
        {
            return delivery.Refused.Count > 0 ? RefuseByPolicy("key", asset, delivery, logs) : NotFound("key", "no such key for this asset");
        }

        EdgeMetrics.LicenseRequests.WithLabels("key", "ok").Inc();
        context.Response.Headers.CacheControl = "no-store";
        return Results.Bytes(delivery.Keys[0].Key, "application/octet-stream");
    }

    private static async Task<IResult> LicenseAsync(string asset, HttpContext context, IContentKeyStore keys, PlaybackAccess access,
        ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (Refuse(asset, context, access, logs) is { } refused)
        {
            return refused;
        }

        var body = new byte[ClearKeyLicense.MaxRequestBytes + 1];
        var length = 0;
        int n;
        while (length < body.Length && (n = await context.Request.Body.ReadAsync(body.AsMemory(length), cancellationToken)) > 0)
        {
            length += n;
        }

        if (length > ClearKeyLicense.MaxRequestBytes)
        {
            EdgeMetrics.LicenseRequests.WithLabels("clearkey", "bad_request").Inc();
            return Results.BadRequest("license request too large");
        }

        if (!ClearKeyLicense.TryParseRequest(body.AsSpan(0, length), out var kids, out var error))
        {
            EdgeMetrics.LicenseRequests.WithLabels("clearkey", "bad_request").Inc();
            return Results.BadRequest(error);
        }

        // Keys a key set's policy keeps back are left out of the license; refused outright when nothing else was asked.
        var delivery = await keys.ClearDeliveryAsync(asset, kids.ToList(), cancellationToken);
        if (delivery.Keys.Count == 0)
        {
            return delivery.Refused.Count > 0 ? RefuseByPolicy("clearkey", asset, delivery, logs) : NotFound("clearkey", "none of the requested keys belong to this asset");
        }

        EdgeMetrics.LicenseRequests.WithLabels("clearkey", "ok").Inc();
        context.Response.Headers.CacheControl = "no-store";
        return Results.Text(ClearKeyLicense.BuildResponse(delivery.Keys), "application/json");
    }

    private static IResult NotFound(string endpoint, string message)
    {
        EdgeMetrics.LicenseRequests.WithLabels(endpoint, "unknown_kid").Inc();
        return Results.NotFound(message);
    }

    /// <summary>403 with the key set's reason: the token is valid, but this key is never delivered in clear.</summary>
    private static IResult RefuseByPolicy(string endpoint, string asset, KeyDelivery delivery, ILoggerFactory logs)
    {
        EdgeMetrics.LicenseRequests.WithLabels(endpoint, "policy").Inc();
        var (kid, reason) = delivery.Refused[0];
        LogRefusedByPolicy(logs.CreateLogger("TranscodeFarm.Edge.Drm"), asset, kid, reason);
        return Results.Problem(reason, statusCode: StatusCodes.Status403Forbidden, title: "key delivery refused by the key set's policy");
    }

    /// <summary>Checks the token (query "token" or "Authorization: Bearer"); a refusal result, or null to go on.</summary>
    private static IResult? Refuse(string asset, HttpContext context, PlaybackAccess access, ILoggerFactory logs)
    {
        if (!ObjectKeys.IsValid(asset + "/x"))
        {
            return Results.BadRequest("invalid asset id");
        }

        TokenCheck check;
        try
        {
            check = access.Check(context, asset);
        }
        catch (InvalidOperationException ex)
        {
            LogNotConfigured(logs.CreateLogger("TranscodeFarm.Edge.Drm"), ex.Message);
            return Results.Problem("DRM is not configured on this edge", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (check == TokenCheck.Valid)
        {
            return null;
        }

        EdgeMetrics.LicenseRequests.WithLabels("token", check.ToString().ToLowerInvariant()).Inc();
        return Results.Problem($"playback token refused: {check}", statusCode: PlaybackAccess.TokenOf(context.Request).Length == 0 ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Key delivery refused: {Reason}")]
    private static partial void LogNotConfigured(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clear delivery of key {KeyId} for asset {Asset} refused: {Reason}")]
    private static partial void LogRefusedByPolicy(ILogger logger, string asset, Guid keyId, string reason);
}
