using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TranscodeFarm.Queue;

namespace TranscodeFarm.Worker;

/// <summary>Registered first: the schema is migrated (or found current) before any other service touches the queue.</summary>
public sealed class QueueStartupService(IJobQueue queue, IOptions<QueueOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (queue is SqlJobQueue sql)
        {
            await sql.EnsureSchemaAsync(options.Value.MigrateOnStart, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
