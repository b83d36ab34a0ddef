using Microsoft.Extensions.Diagnostics.HealthChecks;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Edge;

/// <summary>Healthy when the object store answers a listing.</summary>
public sealed class StoreHealthCheck(IObjectStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (var _ in store.ListAsync("healthz-probe/", cancellationToken))
            {
                break;
            }

            return HealthCheckResult.Healthy(store.Describe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or HttpRequestException)
        {
            return HealthCheckResult.Unhealthy("object store unreachable: " + ex.Message);
        }
    }
}
