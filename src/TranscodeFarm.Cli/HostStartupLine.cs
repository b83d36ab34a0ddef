using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TranscodeFarm.Edge;
using TranscodeFarm.Database;
using TranscodeFarm.Storage;
using TranscodeFarm.Worker;
using TranscodeFarm.Worker.Ingest;

namespace TranscodeFarm.Cli;

/// <summary>What FarmHost knows about the host it built: its role's name and the address it listens on.</summary>
public sealed record HostProfile(string Role, HostRoles Roles, string Listen);

/// <summary>
/// One structured line per host at start (decision 020): role, where it listens, what it watches, which queue and store
/// (never a password or key), its slots and capabilities; before it, a warning for every setting no option takes.
/// A worker's line waits for its capabilities (detected with a short trial encode).
/// </summary>
public sealed partial class HostStartupLine(HostProfile profile, IServiceProvider services, IConfiguration configuration, ILogger<HostStartupLine> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var path in HostSettings.Unknown(configuration))
        {
            LogUnknownSetting(logger, path, HostSettings.EnvironmentName(path));
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var capabilities = "none";
        var slots = 0;
        if (services.GetService<WorkerIdentity>() is { } identity)
        {
            try
            {
                capabilities = string.Join(",", await identity.CapabilitiesAsync(stoppingToken));
            }
            catch (OperationCanceledException)
            {
                return;
            }

            slots = services.GetRequiredService<IOptions<WorkerOptions>>().Value.Slots;
        }

        try
        {
            var edge = profile.Roles.HasFlag(HostRoles.Edge) ? services.GetRequiredService<IOptions<EdgeOptions>>().Value : null;
            LogStarted(logger, profile.Role, profile.Listen,
                edge is null ? "none" : EdgeOptionsValidator.PublicBase(edge.PublicUrl, edge.Url),
                edge is null ? "none" : edge.Origin.Length > 0 ? edge.Origin : "store",
                Watches(), Queue(), Store(), slots, capabilities);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A setting that cannot even be described fails the host elsewhere, with its own message; this line must not.
            LogNotDescribed(logger, profile.Role, ex.Message);
        }
    }

    private string Watches()
    {
        var watched = new List<string>();
        if (profile.Roles.HasFlag(HostRoles.Worker | HostRoles.Ingest) && services.GetService<DropFolderLayout>() is { } drop
            && services.GetRequiredService<IOptions<IngestOptions>>().Value.Enabled)
        {
            watched.Add("drop folder " + drop.Drop);
        }

        // The S3 prefix is scanned by maintenance on every worker that has Ingest:S3Url (one node at a time in a farm).
        if (services.GetService<S3Ingest>()?.Location is { } s3)
        {
            watched.Add("S3 prefix " + s3.Describe);
        }

        return watched.Count == 0 ? "nothing" : string.Join(" and ", watched);
    }

    // The queue's own description: host, port and database, never the password.
    private string Queue() => services.GetRequiredService<FarmDatabase>().Describe;

    private string Store()
    {
        var store = services.GetRequiredService<IOptions<StoreOptions>>().Value;
        if (!store.IsS3)
        {
            return services.GetRequiredService<FarmPaths>().Store;
        }

        var (bucket, prefix) = S3StoreOptions.ParseUrl(store.Url);
        // Authority leaves out any user:password@ an endpoint URL might carry.
        var endpoint = Uri.TryCreate(store.ServiceUrl, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}" : $"AWS {store.Region}";
        return $"s3://{bucket}/{prefix} at {endpoint}";
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information,
        Message = "Host {Role} started: listening on {Listen} (public URL {PublicUrl}, origin {Origin}); watching {Watches}; queue {Queue}; store {Store}; {Slots} slots; capabilities {Capabilities}")]
    private static partial void LogStarted(ILogger logger, string role, string listen, string publicUrl, string origin, string watches, string queue, string store, int slots, string capabilities);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Host {Role} started but could not describe itself: {Reason}")]
    private static partial void LogNotDescribed(ILogger logger, string role, string reason);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Unknown setting {Setting} ({Environment}): no option has that name, so it is ignored")]
    private static partial void LogUnknownSetting(ILogger logger, string setting, string environment);
}
