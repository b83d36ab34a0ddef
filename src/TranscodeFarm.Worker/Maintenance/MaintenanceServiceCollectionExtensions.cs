using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using TranscodeFarm.Database;
using TranscodeFarm.Queue;

namespace TranscodeFarm.Worker.Maintenance;

public static class MaintenanceServiceCollectionExtensions
{
    public const string ClusterScheduler = "transcodefarm-maintenance";
    public const string LocalScheduler = "transcodefarm-local";

    /// <summary>
    /// Scheduled maintenance with Quartz. Cluster-wide jobs (lease reaping, history pruning) run in a scheduler
    /// that, in farm mode, uses the ADO.NET job store on the queue's PostgreSQL with clustering: each runs on one
    /// node at a time, and a dead node's turn passes to another. Embedded mode keeps it in memory. Jobs about a
    /// host's own disk (work folders) run in a second, in-memory scheduler on every host.
    /// </summary>
    public static IServiceCollection AddFarmMaintenance(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MaintenanceOptions>().Bind(configuration.GetSection(MaintenanceOptions.Section));
        var options = configuration.GetSection(MaintenanceOptions.Section).Get<MaintenanceOptions>() ?? new MaintenanceOptions();
        var queueUrl = configuration.GetSection(QueueOptions.Section).Get<QueueOptions>()?.Url;

        services.AddQuartz(ClusterScheduler, q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = ClusterScheduler;
                s.GenerateInstanceId = true;
            });
            if (QueueLocation.IsPostgres(queueUrl))
            {
                q.UsePersistentStore(store =>
                {
                    store.UsePostgres(QueueLocation.ToConnectionString(queueUrl!));
                    store.UseSystemTextJsonSerializer(_ => { });
                    store.ProvisionSchema(); // Quartz owns its qrtz_* tables and their upgrades
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = TimeSpan.FromSeconds(5);
                        c.CheckinMisfireThreshold = TimeSpan.FromSeconds(20);
                    });
                });
            }
            else
            {
                q.UseInMemoryStore(_ => { });
            }

            Every<ReapExpiredLeasesJob>(q, "reap-expired-leases", options.ReapInterval);
            if (configuration.GetSection(IngestOptions.Section).Get<IngestOptions>() is { S3Url.Length: > 0 } ingest)
            {
                Every<ScanS3IngestJob>(q, "scan-s3-ingest", ingest.S3ScanInterval);
            }

            Every<PruneJobHistoryJob>(q, "prune-job-history", options.PruneInterval);
        });
        services.AddQuartzHostedService(ClusterScheduler, o => o.WaitForJobsToComplete = true);

        services.AddQuartz(LocalScheduler, q =>
        {
            q.ConfigureScheduler(s => s.InstanceName = LocalScheduler);
            q.UseInMemoryStore(_ => { });
            Every<PruneWorkFoldersJob>(q, "prune-work-folders", options.PruneInterval);
        });
        services.AddQuartzHostedService(LocalScheduler, o => o.WaitForJobsToComplete = true);
        return services;
    }

    private static void Every<TJob>(IQuartzBuilder q, string name, TimeSpan interval)
        where TJob : IJob
    {
        q.AddJob<TJob>(j => j.WithIdentity(name, "maintenance").StoreDurably(true).DisallowConcurrentExecution(true));
        q.AddTrigger<TJob>(t => t.WithIdentity(name, "maintenance").ForJob(name, "maintenance").StartNow()
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever()));
    }
}
