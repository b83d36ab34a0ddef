using Microsoft.Extensions.Diagnostics.HealthChecks;
using TranscodeFarm.Database;
using TranscodeFarm.Queue;

namespace TranscodeFarm.Worker.Health;

/// <summary>Healthy when the job database answers a trivial query.</summary>
public sealed class DatabaseHealthCheck(IJobQueue queue, FarmDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await queue.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy(database.Describe);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("job database unreachable: " + ex.Message);
        }
    }
}
