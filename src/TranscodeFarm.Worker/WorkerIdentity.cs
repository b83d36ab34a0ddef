namespace TranscodeFarm.Worker;

/// <summary>This process's name in leases and job history: host, pid and a random suffix.</summary>
public sealed class WorkerIdentity
{
    public string Id { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Queue.JobIds.New()[..4]}";
}
