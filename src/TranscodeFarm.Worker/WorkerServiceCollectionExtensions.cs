using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TranscodeFarm.Catalog;
using TranscodeFarm.Database;
using TranscodeFarm.Keys;
using TranscodeFarm.Media;
using TranscodeFarm.Queue;
using TranscodeFarm.Queue.Assets;
using TranscodeFarm.Storage;
using TranscodeFarm.Worker.Health;
using TranscodeFarm.Worker.Ingest;
using TranscodeFarm.Worker.Jobs;
using TranscodeFarm.Worker.Maintenance;
using TranscodeFarm.Worker.Pipeline;

namespace TranscodeFarm.Worker;

public static class WorkerServiceCollectionExtensions
{
    /// <summary>Options, queue, store and profiles: what every host and CLI command of the embedded farm needs.</summary>
    public static IServiceCollection AddFarmCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingletonTimeProvider();
        services.AddOptions<FarmOptions>().Bind(configuration.GetSection(FarmOptions.Section)).ValidateOnStart();
        services.AddOptions<WorkerOptions>().Bind(configuration.GetSection(WorkerOptions.Section)).ValidateOnStart();
        services.AddOptions<IngestOptions>().Bind(configuration.GetSection(IngestOptions.Section)).ValidateOnStart();
        services.AddOptions<MediaOptions>().Bind(configuration.GetSection(MediaOptions.Section));
        services.AddOptions<QueueOptions>().Bind(configuration.GetSection(QueueOptions.Section));
        services.AddSingleton<IValidateOptions<FarmOptions>, FarmOptionsValidator>();
        services.AddSingleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>();
        services.AddSingleton<IValidateOptions<IngestOptions>, IngestOptionsValidator>();

        services.AddSingleton(sp => new FarmPaths(sp.GetRequiredService<IOptions<FarmOptions>>().Value.DataDirectory));
        services.AddSingleton(sp => ProfileCatalog.Load(sp.GetRequiredService<IOptions<FarmOptions>>().Value.ProfilesDirectory));
        // One database for the queue, the key store, the fingerprint catalog and the asset directory: each gets it from here.
        services.AddSingleton<FarmDatabase>(sp => CreateDatabase(sp));
        services.AddSingleton(sp => new SqlJobQueue(sp.GetRequiredService<FarmDatabase>(), QueueClock.Database, sp.GetRequiredService<IOptions<QueueOptions>>().Value));
        services.AddSingleton<IJobQueue>(sp => sp.GetRequiredService<SqlJobQueue>());
        services.AddSingleton<IWorkerRegistry>(sp => sp.GetRequiredService<SqlJobQueue>());
        services.AddSingleton<IQueueMaintenance>(sp => sp.GetRequiredService<SqlJobQueue>());
        services.AddSingleton<IJobNotifications>(sp => sp.GetRequiredService<SqlJobQueue>());
        services.AddOptions<StoreOptions>().Bind(configuration.GetSection(StoreOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StoreOptions>, StoreOptionsValidator>();
        services.AddSingleton<IObjectStore>(sp => CreateStore(sp));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<MediaOptions>>().Value);
        services.AddSingleton<ProcessRunner>();
        services.AddSingleton<MediaProber>();
        services.AddSingleton<IMediaProber>(sp => sp.GetRequiredService<MediaProber>());
        services.AddSingleton<FingerprintExtractor>();
        services.AddSingleton<SourceImporter>();
        services.AddSingleton<SubmittedSources>();
        services.AddSingleton<Jobs.JobControl>();
        services.AddSingleton<CapabilityProbe>();
        services.AddOptions<DrmOptions>().Bind(configuration.GetSection(DrmOptions.Section));
        services.AddSingleton(sp =>
        {
            var queue = sp.GetRequiredService<IOptions<QueueOptions>>().Value;
            // Embedded mode generates its keys on first use; a farm must configure the same keys on every host.
            var generated = QueueLocation.IsPostgres(queue.Url) ? null : Path.Combine(sp.GetRequiredService<FarmPaths>().Root, "secrets", "drm-keys.json");
            return new DrmSecrets(sp.GetRequiredService<IOptions<DrmOptions>>().Value, generated);
        });
        services.AddSingleton<IContentKeyStore, SqlContentKeyStore>();
        services.AddOptions<FingerprintOptions>().Bind(configuration.GetSection(FingerprintOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FingerprintOptions>, FingerprintOptionsValidator>();
        services.AddSingleton<IFingerprintStore, SqlFingerprintStore>();
        services.AddSingleton<FingerprintCatalog>();
        services.AddSingleton<FingerprintReindexer>();
        services.AddSingleton<IAssetDirectory, SqlAssetDirectory>();
        // Registered in both modes so hosts listen the same way; on SQLite nothing is announced (see NoAssetChangeNotifications).
        services.AddSingleton<IAssetChangeNotifications>(sp =>
            QueueLocation.IsPostgres(sp.GetRequiredService<IOptions<QueueOptions>>().Value.Url)
                ? new PostgresAssetNotifications(sp.GetRequiredService<FarmDatabase>())
                : NoAssetChangeNotifications.Instance);
        services.AddSingleton<AssetChangeSignal>();
        return services;
    }

    /// <summary>SQLite in the data directory by default; PostgreSQL when Queue:Url names one (farm mode).</summary>
    private static FarmDatabase CreateDatabase(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<QueueOptions>>().Value;
        if (QueueLocation.IsPostgres(options.Url))
        {
            return new PostgresFarmDatabase(Npgsql.NpgsqlDataSource.Create(QueueLocation.ToConnectionString(options.Url)));
        }

        if (!string.IsNullOrEmpty(options.Url) && options.Url != "sqlite")
        {
            throw new OptionsValidationException(QueueOptions.Section, typeof(QueueOptions),
                [$"Queue:Url must be empty, \"sqlite\", a postgres:// URL or an Npgsql connection string (got a value starting '{options.Url[..Math.Min(12, options.Url.Length)]}')"]);
        }

        return new SqliteFarmDatabase(sp.GetRequiredService<FarmPaths>().QueueDatabase);
    }

    /// <summary>The filesystem store in the data directory by default; an S3-compatible bucket when Store:Url is s3://.</summary>
    private static IObjectStore CreateStore(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<StoreOptions>>().Value;
        if (options.IsS3)
        {
            try
            {
                var log = sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().CreateLogger("TranscodeFarm.Storage");
                return new ResilientObjectStore(new S3ObjectStore(options.ToS3()), options.MaxRetries, options.RetryBaseDelay, options.RetryMaxDelay, (attempt, ex) =>
                {
                    WorkerMetrics.StoreRetries.Inc();
                    Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(log, "Store operation failed, retry {Attempt}: {Reason}", attempt, ex.Message);
                });
            }
            catch (FormatException ex)
            {
                throw new OptionsValidationException(StoreOptions.Section, typeof(StoreOptions), [$"Store:Url: {ex.Message}"]);
            }
        }

        if (!string.IsNullOrEmpty(options.Url))
        {
            throw new OptionsValidationException(StoreOptions.Section, typeof(StoreOptions), ["Store:Url must be empty (filesystem store) or s3://bucket/prefix/"]);
        }

        return new FileSystemObjectStore(sp.GetRequiredService<FarmPaths>().Store, sp.GetRequiredService<TimeProvider>());
    }

    /// <summary>Every host: the queue schema is ready before anything else starts; then the fingerprint index is built.</summary>
    public static IServiceCollection AddQueueStartup(this IServiceCollection services) =>
        services.AddHostedService<QueueStartupService>().AddHostedService<FingerprintCatalogService>();

    /// <summary>The worker: job slots, the drop-folder watcher and queue metrics.</summary>
    public static IServiceCollection AddFarmWorker(this IServiceCollection services, IConfiguration configuration, bool withIngest)
    {
        services.AddFarmMaintenance(configuration);
        services.AddSingleton<WorkerIdentity>();
        services.AddSingleton<JobSignal>();
        services.AddSingleton<ClaimGate>();
        services.AddHealthChecks().AddCheck<StoreWriteHealthCheck>(StoreWriteHealthCheck.Name, HealthStatus.Unhealthy, [], StoreWriteHealthCheck.Timeout);
        services.AddSingleton<IEncoder, FfmpegEncoder>();
        services.AddSingleton<ISubtitleExtractor, FfmpegSubtitleExtractor>();
        services.AddSingleton<SubtitleStage>();
        services.AddSingleton<TranscodePipeline>();
        services.AddSingleton<TranscodeStages>();
        services.AddSingleton<SourceStage>();
        services.AddSingleton<CatalogStage>();
        services.AddSingleton<AssetKeys>();
        services.AddSingleton<EncodeStage>();
        services.AddSingleton<GateStage>();
        services.AddSingleton<QualityGate>();
        services.AddSingleton<PublishStage>();
        services.AddSingleton<AssetPublication>();
        services.AddSingleton<AssetPublishers>();
        services.TryAddSingleton(PackagedObjectInspection.None);
        services.AddSingleton(sp => DropFolderLayout.For(sp.GetRequiredService<IOptions<IngestOptions>>().Value, sp.GetRequiredService<FarmPaths>()));
        services.AddSingleton<SourceDisposition>();
        services.AddSingleton<IngestSubmitter>();
        services.AddSingleton(sp =>
        {
            var url = sp.GetRequiredService<IOptions<IngestOptions>>().Value.S3Url;
            var store = sp.GetRequiredService<IOptions<StoreOptions>>().Value;
            Action<int, Exception> onRetry = (_, _) => WorkerMetrics.StoreRetries.Inc();
            return new S3Ingest(string.IsNullOrEmpty(url) ? null : S3IngestLocation.Create(url, store, onRetry), store, onRetry);
        });
        services.AddHostedService<WorkerRegistrationService>();
        services.AddHostedService<QueueListenerService>();
        services.AddHostedService<JobRunnerService>();
        services.AddHostedService<QueueMetricsService>();
        services.AddHostedService<FingerprintReindexService>();
        if (withIngest)
        {
            services.AddHostedService<DropFolderIngestService>();
        }

        return services;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
