using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;
using TranscodeFarm.Edge;
using TranscodeFarm.WebConsole;
using TranscodeFarm.Worker;
using TranscodeFarm.Worker.Health;

namespace TranscodeFarm.Cli;

[Flags]
public enum HostRoles
{
    Worker = 1,
    Ingest = 2,
    Edge = 4,
    All = Worker | Ingest | Edge,
}

/// <summary>
/// Builds the long-running host for `run` (everything in one process), `worker` and `edge`. Every host
/// serves /metrics and /healthz; SIGTERM and Ctrl-C stop it gracefully (running jobs get a grace period).
/// </summary>
public static class FarmHost
{
    public static WebApplication Build(ParseResult parse, HostRoles roles, IDictionary<string, string?> flags, LogLevel? consoleLevel = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = Environment.CurrentDirectory });
        GlobalOptions.Apply(builder.Configuration, parse, flags);
        ConfigureLogging(builder, consoleLevel);
        if (HostSettings.Missing(builder.Configuration, roles) is { Count: > 0 } missing)
        {
            throw new CliException(string.Join("; ", missing));
        }

        builder.Services.AddFarmCore(builder.Configuration);
        builder.Services.AddQueueStartup();
        builder.Services.AddFarmHealth(builder.Configuration);
        if (roles.HasFlag(HostRoles.Worker))
        {
            builder.Services.AddFarmWorker(builder.Configuration, withIngest: roles.HasFlag(HostRoles.Ingest) && builder.Configuration.GetValue("Ingest:Enabled", true));
        }

        if (roles.HasFlag(HostRoles.Edge))
        {
            builder.Services.AddEdge(builder.Configuration);
            builder.Services.AddWebConsole();
        }

        var grace = builder.Configuration.GetValue("Worker:ShutdownGrace", TimeSpan.FromSeconds(20));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = grace + TimeSpan.FromSeconds(15));

        var url = roles.HasFlag(HostRoles.Edge)
            ? builder.Configuration.GetValue("Edge:Url", "http://127.0.0.1:8080")!
            : builder.Configuration.GetValue("Worker:MetricsUrl", "http://127.0.0.1:9101")!;
        builder.WebHost.UseUrls(url);
        var role = roles switch
        {
            HostRoles.All => "run",
            HostRoles.Edge => "edge",
            _ when roles.HasFlag(HostRoles.Ingest) => "worker",
            _ => "worker (no drop folder)",
        };
        builder.Services.AddSingleton(new HostProfile(role, roles, url));
        builder.Services.AddHostedService<HostStartupLine>();

        var app = builder.Build();
        if (roles.HasFlag(HostRoles.Edge))
        {
            app.UseControlSurfaceGuard();
            app.UseCors();
        }

        app.UseHttpMetrics();
        app.MapMetrics("/metrics");
        app.MapFarmHealth();
        if (roles.HasFlag(HostRoles.Edge))
        {
            app.MapEdge();
            app.MapWebConsole();
        }

        return app;
    }

    /// <summary>Structured JSON logs for machines, readable lines on a terminal; Logging:Format overrides.</summary>
    private static void ConfigureLogging(WebApplicationBuilder builder, LogLevel? consoleLevel)
    {
        builder.Logging.ClearProviders();
        var format = builder.Configuration.GetValue<string>("Logging:Format") ?? (Console.IsOutputRedirected ? "json" : "text");
        if (format == "json")
        {
            builder.Logging.AddJsonConsole(o => o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ");
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }

        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        if (builder.Configuration["Logging:LogLevel:Quartz"] is null)
        {
            // Quartz says ~25 things at information on every start; the farm's own lines matter more. Logging:LogLevel:Quartz overrides.
            builder.Logging.AddFilter("Quartz", LogLevel.Warning);
        }

        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        if (consoleLevel is { } level)
        {
            builder.Logging.SetMinimumLevel(level);
            builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", level);
        }
    }

    /// <summary>Runs a host until SIGTERM/Ctrl-C; configuration errors become one clear message.</summary>
    public static async Task<int> RunAsync(WebApplication app)
    {
        await app.RunAsync();
        return 0;
    }
}
