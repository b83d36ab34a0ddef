using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Access;

namespace TranscodeFarm.Edge;

/// <summary>
/// Guards the edge's control surfaces (<c>/admin/*</c>, <c>/api/*</c>, <c>/console</c>) before any endpoint runs, for every
/// method: the Host must be one of <c>Edge:AllowedHosts</c> (else 421), and a request a browser marks as coming from
/// another site (<c>Origin</c>, <c>Sec-Fetch-Site</c>) is refused (403). Tokens are the endpoints' business. The answers
/// never carry a CORS grant, so a preflight from a web page gets nothing it could use; media keeps its own CORS.
/// </summary>
public sealed class ControlSurfaceGuard(RequestDelegate next, IOptions<EdgeOptions> options)
{
    private static readonly string[] Surfaces = ["/admin", "/api", "/console"];
    private HostAllowList? _hosts;

    public static bool IsControlPath(PathString path) => Surfaces.Any(s => path.StartsWithSegments(s, StringComparison.OrdinalIgnoreCase));

    public Task InvokeAsync(HttpContext context)
    {
        if (!IsControlPath(context.Request.Path))
        {
            return next(context);
        }

        var response = context.Response;
        response.OnStarting(() =>
        {
            foreach (var header in response.Headers.Keys.Where(k => k.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                response.Headers.Remove(header);
            }

            // Nothing here is cacheable unless its endpoint said so on purpose (the console's pinned player files).
            if (string.IsNullOrEmpty(response.Headers.CacheControl))
            {
                response.Headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });

        var o = options.Value;
        var hosts = _hosts ??= HostAllowList.Of(o.AllowedHosts, o.Url);
        var host = context.Request.Host;
        if (!hosts.Allows(host.Host))
        {
            return Refuse(context, StatusCodes.Status421MisdirectedRequest, $"host '{Clip(host.Value ?? "")}' is not in Edge:AllowedHosts");
        }

        var request = context.Request.Headers;
        if (CrossSite.Refusal(request.Origin.ToString(), request["Sec-Fetch-Site"].ToString(), host.Value ?? "") is { } reason)
        {
            return Refuse(context, StatusCodes.Status403Forbidden, reason);
        }

        return next(context);
    }

    private static Task Refuse(HttpContext context, int status, string reason)
    {
        EdgeMetrics.ControlRefusals.WithLabels(status == StatusCodes.Status421MisdirectedRequest ? "host" : "cross_site").Inc();
        return Results.Json(new { error = reason }, statusCode: status).ExecuteAsync(context);
    }

    private static string Clip(string value) => value.Length <= 100 ? value : value[..100] + "…";
}

/// <summary>Says at start which hosts the control surfaces answer to, and warns about settings that open them.</summary>
internal sealed partial class ControlSurfaceNotice(IOptions<EdgeOptions> options, ILogger<ControlSurfaceNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var hosts = HostAllowList.Of(o.AllowedHosts, o.Url);
        LogHosts(logger, hosts.AllowsAny ? "any host" : string.Join(", ", hosts.Hosts));
        if (hosts.AllowsAny)
        {
            LogAnyHost(logger);
        }

        if (o.OpenMatch)
        {
            LogOpenMatch(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Control surfaces (/admin, /api, /console) answer to: {Hosts}")]
    private static partial void LogHosts(ILogger logger, string hosts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Edge:AllowedHosts=*: the control surfaces answer to any Host header (no protection against DNS rebinding)")]
    private static partial void LogAnyHost(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Edge:OpenMatch=true: /api/match answers without a token; anyone who reaches this edge can have it decode an upload of up to Edge:MaxMatchUploadBytes")]
    private static partial void LogOpenMatch(ILogger logger);
}

public static class ControlSurfaceGuardExtensions
{
    /// <summary>Put before UseCors: the control surfaces are checked before anything answers them.</summary>
    public static IApplicationBuilder UseControlSurfaceGuard(this IApplicationBuilder app) => app.UseMiddleware<ControlSurfaceGuard>();
}
