using Microsoft.Extensions.Diagnostics.HealthChecks;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Worker.Health;

/// <summary>Healthy when the object store answers one cheap request (<see cref="IObjectStore.ProbeAsync"/>): never a listing of
/// the store, whatever its size.</summary>
public sealed class StoreHealthCheck(IObjectStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.ProbeAsync(cancellationToken);
            return HealthCheckResult.Healthy(store.Describe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or HttpRequestException or ObjectStoreException)
        {
            return HealthCheckResult.Unhealthy("object store unreachable: " + ex.Message);
        }
    }
}
