using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Assets;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Worker.Health;

/// <summary>
/// Workers only: healthy when this host can publish, i.e. put, read back and delete a small probe object
/// (<c>_farm/healthz/&lt;worker-id&gt;</c>) in the store, without retries (the state now). With <see cref="StoreOptions.CreateBucket"/>
/// a missing bucket is created first. While this check is unhealthy the worker claims no job (<see cref="Jobs.ClaimGate"/>).
/// </summary>
public sealed partial class StoreWriteHealthCheck(IObjectStore store, IOptions<StoreOptions> options, WorkerIdentity identity, ILogger<StoreWriteHealthCheck> logger) : IHealthCheck
{
    public const string Name = "store-write";

    /// <summary>Four requests at most (listing, put, get, delete): more than the default <c>Health:Timeout</c>.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var direct = store is ResilientObjectStore resilient ? resilient.Inner : store;
        var key = ObjectKeys.Reserved("healthz", identity.Id);
        var steps = await StoreReadiness.CheckAsync(direct, key, options.Value.CreateBucket, null, cancellationToken);
        if (steps.FirstOrDefault(s => s is { Name: "bucket", Detail: "created" }) is not null)
        {
            LogCreated(logger, direct.Describe);
        }

        return StoreReadiness.Failure(steps) is { } failed
            ? HealthCheckResult.Unhealthy($"cannot publish: {failed.Name} failed: {failed.Detail}")
            : HealthCheckResult.Healthy($"{direct.Describe}: put, read back and deleted {key}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {Store}: created its bucket (Store:CreateBucket=true)")]
    private static partial void LogCreated(ILogger logger, string store);
}
