using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TranscodeFarm.Database;
using TranscodeFarm.Queue;
using TranscodeFarm.Worker;

namespace TranscodeFarm.Cli;

/// <summary>The farm's services for one-shot commands (submit, jobs, profiles) without starting a host.</summary>
public sealed class FarmServices : IDisposable
{
    private readonly ServiceProvider _provider;

    private FarmServices(ServiceProvider provider, IConfiguration configuration)
    {
        _provider = provider;
        Configuration = configuration;
    }

    public IConfiguration Configuration { get; }
    public IJobQueue Queue => _provider.GetRequiredService<IJobQueue>();
    public ProfileCatalog Profiles => _provider.GetRequiredService<ProfileCatalog>();
    public FarmPaths Paths => _provider.GetRequiredService<FarmPaths>();
    public FarmOptions Farm => _provider.GetRequiredService<IOptions<FarmOptions>>().Value;
    public WorkerOptions Worker => _provider.GetRequiredService<IOptions<WorkerOptions>>().Value;
    /// <summary>The edge URL players reach (Edge:PublicUrl, else derived from Edge:Url), for the URLs the CLI prints.</summary>
    public string EdgeUrl => PublicEdgeUrl(Configuration);

    public static string PublicEdgeUrl(IConfiguration configuration)
    {
        var publicUrl = configuration["Edge:PublicUrl"];
        if (Edge.EdgeOptionsValidator.PublicUrlProblem(publicUrl) is { } problem)
        {
            throw new CliException(problem);
        }

        return Edge.EdgeOptionsValidator.PublicBase(publicUrl, configuration["Edge:Url"]);
    }

    public static FarmServices Create(ParseResult parse)
    {
        var configuration = GlobalOptions.Build(parse);
        var services = new ServiceCollection();
        // Warnings (a store retry, say) go to stderr, so they never mix with a command's output (--json included).
        services.AddLogging(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning));
        services.AddFarmCore(configuration);
        var provider = services.BuildServiceProvider();
        var farm = new FarmServices(provider, configuration);
        _ = farm.Farm; // validates now, with a message naming the setting
        _ = farm.Worker;
        return farm;
    }

    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    /// <summary>For commands that use the queue: its schema is migrated (or checked) first.</summary>
    public static async Task<FarmServices> CreateWithQueueAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var farm = Create(parse);
        await farm.Get<FarmDatabase>().EnsureSchemaAsync(farm.Get<IOptions<QueueOptions>>().Value.MigrateOnStart, cancellationToken);

        return farm;
    }

    public void Dispose() => _provider.Dispose();
}
