using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TranscodeFarm.Core.Access;

namespace TranscodeFarm.WebConsole;

/// <summary>
/// The web console at <c>/console</c> on every host that serves the edge (decision 035): pages for jobs, workers, assets,
/// the drop folder's failures and the edge's traffic, one JSON API under <c>/console/api</c>, live job progress as
/// server-sent events. Signed in with <c>Edge:AdminToken</c> (<see cref="ConsoleAuth"/>); the Host and cross-site checks of
/// every control surface run first (<see cref="TranscodeFarm.Edge.ControlSurfaceGuard"/>).
/// </summary>
public static class ConsoleEndpoints
{
    /// <summary>The pages (one shell each; console.js draws what the path names).</summary>
    private static readonly string[] Pages = ["jobs", "workers", "assets", "drop", "edge"];

    // Scripts and styles from this host only, no inline script; players append media through blob: URLs (MSE, workers).
    private const string Policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
        + "worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static IServiceCollection AddWebConsole(this IServiceCollection services)
    {
        services.AddSingleton<ConsoleAuth>();
        services.AddSingleton<EdgeTraffic>();
        services.AddSingleton<ConsoleS3Ingest>();
        services.AddHostedService(sp => sp.GetRequiredService<EdgeTraffic>());
        return services;
    }

    public static IEndpointRouteBuilder MapWebConsole(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/console", () => Results.Redirect("/console/jobs"));
        endpoints.MapGet("/console/signin", (HttpContext context, ConsoleAuth auth, string? next) => SignInPage(context, auth, next, null));
        endpoints.MapPost("/console/signin", SignInAsync).DisableAntiforgery();
        endpoints.MapPost("/console/signout", SignOutAsync).DisableAntiforgery();
        endpoints.MapGet("/console/static/{**file}", ConsoleStatic.Serve);
        foreach (var page in Pages)
        {
            endpoints.MapGet("/console/" + page, Shell);
        }

        endpoints.MapGet("/console/jobs/{id}", Shell);
        endpoints.MapGet("/console/assets/{id}", Shell);

        var api = endpoints.MapGroup("/console/api").AddEndpointFilter(RequireSession);
        api.MapGet("/jobs", ConsoleApi.JobsAsync);
        api.MapGet("/jobs/stream", ConsoleApi.JobStreamAsync);
        api.MapGet("/jobs/{id}", ConsoleApi.JobAsync);
        api.MapPost("/jobs/{id}/retry", ConsoleApi.RetryAsync);
        api.MapPost("/jobs/{id}/cancel", ConsoleApi.CancelAsync);
        api.MapGet("/workers", ConsoleApi.WorkersAsync);
        api.MapGet("/assets", ConsoleApi.AssetsAsync);
        api.MapGet("/assets/{id}", ConsoleApi.AssetAsync);
        api.MapGet("/drop", ConsoleApi.DropFailuresAsync);
        api.MapGet("/edge", ConsoleApi.Edge);
        return endpoints;
    }

    /// <summary>Every API call needs a session; every change (anything but GET) also its CSRF token in the header.</summary>
    private static async ValueTask<object?> RequireSession(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var auth = context.RequestServices.GetRequiredService<ConsoleAuth>();
        if (!auth.Enabled)
        {
            return Results.Json(new { error = "the console is off until Edge:AdminToken is set" }, statusCode: StatusCodes.Status403Forbidden);
        }

        if (auth.SessionOf(context.Request) is not { } session)
        {
            return Results.Json(new { error = "sign in at /console/signin with Edge:AdminToken" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !auth.CsrfOk(context.Request, session))
        {
            return Results.Json(new { error = $"a change needs the page's CSRF token ({ConsoleSession.CsrfHeader}); reload the console" }, statusCode: StatusCodes.Status403Forbidden);
        }

        return await next(invocation);
    }

    private static IResult Shell(HttpContext context, ConsoleAuth auth)
    {
        if (auth.SessionOf(context.Request) is not { } session)
        {
            return Results.Redirect("/console/signin?next=" + Uri.EscapeDataString(context.Request.Path.Value ?? "/console/jobs"));
        }

        Secure(context);
        var html = ConsoleStatic.Text("app.html").Replace("{{csrf}}", WebUtility.HtmlEncode(auth.CsrfTokenFor(session)), StringComparison.Ordinal);
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static IResult SignInPage(HttpContext context, ConsoleAuth auth, string? next, string? problem, int status = StatusCodes.Status200OK)
    {
        Secure(context);
        var message = problem ?? (auth.Enabled ? "" : "The console is off until Edge:AdminToken is set on this host.");
        var html = ConsoleStatic.Text("signin.html")
            .Replace("{{next}}", WebUtility.HtmlEncode(ConsoleSession.SafeReturnPath(next)), StringComparison.Ordinal)
            .Replace("{{message}}", WebUtility.HtmlEncode(message), StringComparison.Ordinal)
            .Replace("{{hidden}}", message.Length == 0 ? "hidden" : "", StringComparison.Ordinal);
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, ConsoleAuth auth)
    {
        if (!context.Request.HasFormContentType)
        {
            return Results.BadRequest(new { error = "sign in with the form at /console/signin" });
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var next = form["next"].ToString();
        if (!auth.Enabled)
        {
            return SignInPage(context, auth, next, "The console is off until Edge:AdminToken is set on this host.", StatusCodes.Status403Forbidden);
        }

        return auth.SignIn(context, form["token"].ToString())
            ? Results.Redirect(ConsoleSession.SafeReturnPath(next), permanent: false, preserveMethod: false)
            : SignInPage(context, auth, next, "That is not this host's admin token (Edge:AdminToken).", StatusCodes.Status401Unauthorized);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, ConsoleAuth auth)
    {
        if (auth.SessionOf(context.Request) is { } session)
        {
            var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
            if (!auth.CsrfOk(context.Request, session, form?[ConsoleSession.CsrfField].ToString()))
            {
                return Results.Json(new { error = "signing out needs the page's CSRF token" }, statusCode: StatusCodes.Status403Forbidden);
            }
        }

        auth.SignOut(context);
        return Results.Redirect("/console/signin");
    }

    private static void Secure(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
    }
}
