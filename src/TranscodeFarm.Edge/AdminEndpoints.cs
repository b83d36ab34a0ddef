using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Assets;
using TranscodeFarm.Edge.Caching;
using TranscodeFarm.Queue.Assets;

namespace TranscodeFarm.Edge;

/// <summary>
/// <c>POST /admin/purge</c> with <c>Authorization: Bearer Edge:AdminToken</c> and one of <c>asset</c>, <c>path</c> or
/// <c>prefix</c> (query or JSON body). A path or prefix is dropped from this edge; an asset known to the job database is
/// purged on every edge (its change number moves on, which every edge follows), else on this one. Host and cross-site
/// checks come first (<see cref="ControlSurfaceGuard"/>); no CORS: a web page can never call it.
/// </summary>
public static partial class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/admin/purge", PurgeAsync);
        return endpoints;
    }

    private static async Task<IResult> PurgeAsync(HttpContext context, PlaybackAccess access, EdgeCache cache, IOptions<EdgeOptions> options,
        IAssetDirectory directory, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (options.Value.AdminToken.Length == 0)
        {
            return Results.Json(new { error = "the admin API is off until Edge:AdminToken is set" }, statusCode: StatusCodes.Status403Forbidden);
        }

        if (!access.IsAdmin(context.Request))
        {
            return Results.Json(new { error = "the admin API needs Authorization: Bearer <Edge:AdminToken>" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        var request = await ReadAsync(context, cancellationToken);
        if (request is null)
        {
            return Results.BadRequest(new { error = "name exactly one of asset, path or prefix (query or JSON body)" });
        }

        var (kind, value) = request.Value;
        var valid = kind == "prefix" ? ObjectKeys.IsValidPrefix(value) && value.Length > 0 : ObjectKeys.IsValid(kind == "asset" ? value + "/x" : value);
        if (!valid)
        {
            return Results.BadRequest(new { error = $"'{value}' is not a valid {kind}" });
        }

        var everywhere = false;
        if (kind == "asset")
        {
            everywhere = await directory.PurgeAsync(value, cancellationToken) is not null;
        }

        var dropped = kind switch
        {
            "asset" => cache.Purge(k => k.StartsWith(value + "/", StringComparison.Ordinal)),
            "path" => cache.Purge(k => k == value),
            _ => cache.Purge(k => k.StartsWith(value, StringComparison.Ordinal)),
        };
        EdgeMetrics.Purges.WithLabels(kind).Inc();
        LogPurge(logs.CreateLogger("TranscodeFarm.Edge.Admin"), kind, value, dropped, everywhere);
        return Results.Json(new { purged = kind, value, dropped, scope = everywhere ? "every edge" : "this edge" });
    }

    private static async Task<(string Kind, string Value)?> ReadAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var found = new List<(string, string)>();
        foreach (var name in new[] { "asset", "path", "prefix" })
        {
            if (context.Request.Query[name].ToString() is { Length: > 0 } v)
            {
                found.Add((name, v));
            }
        }

        if (context.Request.ContentLength is > 0 and <= 4096 && context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true)
        {
            try
            {
                using var doc = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 2 }, cancellationToken);
                foreach (var name in new[] { "asset", "path", "prefix" })
                {
                    if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String)
                    {
                        found.Add((name, p.GetString()!));
                    }
                }
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return found.Count == 1 ? found[0] : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purge of {Kind} {Value}: {Dropped} cached objects dropped here (every edge: {Everywhere})")]
    private static partial void LogPurge(ILogger logger, string kind, string value, int dropped, bool everywhere);
}
