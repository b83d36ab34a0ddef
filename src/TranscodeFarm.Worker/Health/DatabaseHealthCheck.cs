using Microsoft.Extensions.Diagnostics.HealthChecks;
using TranscodeFarm.Queue;

namespace TranscodeFarm.Worker.Health;

/// <summary>Healthy when the job database answers a trivial query.</summary>
public sealed class DatabaseHealthCheck(IJobQueue queue) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await queue.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy(queue is SqlJobQueue sql ? sql.Describe : "answers");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("job database unreachable: " + ex.Message);
        }
    }
}
