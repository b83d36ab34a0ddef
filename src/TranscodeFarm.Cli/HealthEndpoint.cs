using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TranscodeFarm.Core.Health;
using TranscodeFarm.Worker.Health;

namespace TranscodeFarm.Cli;

/// <summary>
/// <c>GET /healthz</c> of every host kind: the last results of the background checks (<see cref="HealthBoard"/>), never a
/// check run by the request. <c>{"status":"healthy|degraded|unhealthy","checks":{"store":{"status":…,"reason":…,
/// "checkedAgoSeconds":…},…}}</c>; HTTP 200 while healthy or degraded, 503 when unhealthy.
/// </summary>
public static class HealthEndpoint
{
    public const string Path = "/healthz";

    public static IEndpointRouteBuilder MapFarmHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(Path, [HttpMethods.Get, HttpMethods.Head], Answer);
        return endpoints;
    }

    private static IResult Answer(HttpContext context, HealthBoard board)
    {
        var summary = board.Summary();
        context.Response.Headers.CacheControl = "no-store";
        var checks = summary.Checks.ToDictionary(c => c.Key, c => new Check(HealthSummary.Name(c.Value.Status), c.Value.Reason, c.Value.CheckedAgoSeconds));
        return Results.Json(new Body(HealthSummary.Name(summary.Status), checks), JsonSerializerOptions.Web,
            statusCode: summary.Serving ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private sealed record Body(string Status, IReadOnlyDictionary<string, Check> Checks);

    private sealed record Check(string Status, string Reason, double? CheckedAgoSeconds);
}
