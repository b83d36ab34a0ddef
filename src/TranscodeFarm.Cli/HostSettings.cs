using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using TranscodeFarm.Database;
using TranscodeFarm.Edge;
using TranscodeFarm.Keys;
using TranscodeFarm.Media;
using TranscodeFarm.Queue;
using TranscodeFarm.Catalog;
using TranscodeFarm.Storage;
using TranscodeFarm.Worker;
using TranscodeFarm.Worker.Health;
using TranscodeFarm.Worker.Maintenance;

namespace TranscodeFarm.Cli;

/// <summary>
/// What a host's settings say before it starts (decision 020): keys that match no option (a typo such as
/// TRANSCODEFARM__Edge__Ulr is otherwise silently ignored by the binder) and settings its role needs but lacks.
/// </summary>
public static class HostSettings
{
    /// <summary>Every section the farm binds, with the options type it binds to.</summary>
    private static readonly (string Section, Type Type)[] Sections =
    [
        (FarmOptions.Section, typeof(FarmOptions)), (WorkerOptions.Section, typeof(WorkerOptions)), (IngestOptions.Section, typeof(IngestOptions)),
        (MediaOptions.Section, typeof(MediaOptions)), (QueueOptions.Section, typeof(QueueOptions)), (StoreOptions.Section, typeof(StoreOptions)),
        (DrmOptions.Section, typeof(DrmOptions)), (FingerprintOptions.Section, typeof(FingerprintOptions)), (EdgeOptions.Section, typeof(EdgeOptions)),
        (HealthOptions.Section, typeof(HealthOptions)), (MaintenanceOptions.Section, typeof(MaintenanceOptions)),
    ];

    /// <summary>Keys read straight from configuration rather than bound to an options type.</summary>
    private static readonly string[] ReadDirectly = ["Worker:MetricsUrl"];

    /// <summary>Keys under the farm's sections that no option takes (as configuration paths, e.g. "Edge:Foo").</summary>
    public static IReadOnlyList<string> Unknown(IConfiguration configuration)
    {
        var unknown = new List<string>();
        foreach (var (section, type) in Sections)
        {
            Walk(configuration.GetSection(section), type, unknown);
        }

        return unknown;
    }

    private static void Walk(IConfigurationSection section, Type type, List<string> unknown)
    {
        foreach (var child in section.GetChildren())
        {
            if (ReadDirectly.Contains(child.Path, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            var t = property?.PropertyType;
            var collection = t is not null && t != typeof(string) && typeof(IEnumerable).IsAssignableFrom(t);
            if (property is null || (!property.CanWrite && !collection))
            {
                unknown.Add(child.Path);
            }
            else if (t!.IsClass && t != typeof(string) && !collection)
            {
                Walk(child, t, unknown);
            }
        }
    }

    /// <summary>The environment variable that sets a configuration path, to name it the way operators often write it.</summary>
    public static string EnvironmentName(string path) => "TRANSCODEFARM__" + path.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>
    /// Settings the role needs and lacks, as messages naming them. A stand-alone edge serving the farm's S3 store reads the
    /// catalog of published generations, purges and the fingerprint index from the farm's queue: without Queue:Url it would
    /// create an empty local queue.db and serve nothing (404 for every asset, an empty /api/match).
    /// </summary>
    public static IReadOnlyList<string> Missing(IConfiguration configuration, HostRoles roles)
    {
        var missing = new List<string>();
        var storeUrl = configuration["Store:Url"] ?? "";
        var queueUrl = configuration["Queue:Url"];
        var standaloneEdge = roles == HostRoles.Edge;
        if (standaloneEdge && string.IsNullOrEmpty(configuration["Edge:Origin"]) && storeUrl.StartsWith("s3://", StringComparison.Ordinal) && !QueueLocation.IsPostgres(queueUrl))
        {
            missing.Add("Queue:Url (--queue) must name the farm's PostgreSQL queue: this edge serves the S3 store " +
                $"{Describe(storeUrl)} and reads which assets are published (and the fingerprint index) from the farm's queue; " +
                "without it it would create an empty local queue.db and serve nothing. (An edge whose origin is another edge, --origin, needs no queue.)");
        }

        return missing;
    }

    /// <summary>A store URL as s3://bucket/prefix/, whatever else was in it.</summary>
    private static string Describe(string storeUrl)
    {
        try
        {
            var (bucket, prefix) = S3StoreOptions.ParseUrl(storeUrl);
            return $"s3://{bucket}/{prefix}";
        }
        catch (FormatException)
        {
            return "(Store:Url)";
        }
    }
}
