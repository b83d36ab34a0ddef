namespace TranscodeFarm.Queue;

/// <summary>Worker hosts announce themselves here so operators can see who is alive (`transcodefarm workers`).</summary>
public interface IWorkerRegistry
{
    Task RegisterWorkerAsync(WorkerInfo worker, CancellationToken cancellationToken);

    Task HeartbeatWorkerAsync(string workerId, CancellationToken cancellationToken);

    Task UnregisterWorkerAsync(string workerId, CancellationToken cancellationToken);

    Task<IReadOnlyList<WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken);
}

public sealed record WorkerInfo(
    string Id,
    string Host,
    IReadOnlyList<string> Capabilities,
    int Slots,
    string Version,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt);
