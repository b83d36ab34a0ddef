using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TranscodeFarm.Database;
using TranscodeFarm.Queue;

namespace TranscodeFarm.Worker;

/// <summary>Registered first: the schema is migrated (or found current) before any other service touches the database.</summary>
public sealed class QueueStartupService(FarmDatabase database, IOptions<QueueOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        database.EnsureSchemaAsync(options.Value.MigrateOnStart, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
