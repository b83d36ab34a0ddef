namespace TranscodeFarm.Worker;

/// <summary>
/// This process's name in leases, job history and the worker registry (host, pid and a random suffix), and
/// the capabilities it claims jobs with, known once detection at start has finished.
/// </summary>
public sealed class WorkerIdentity
{
    private readonly TaskCompletionSource<IReadOnlyList<string>> _capabilities = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Id { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Queue.JobIds.New()[..4]}";

    public static string Version => typeof(WorkerIdentity).Assembly.GetName().Version?.ToString() ?? "0";

    public Task<IReadOnlyList<string>> CapabilitiesAsync(CancellationToken cancellationToken) => _capabilities.Task.WaitAsync(cancellationToken);

    public void SetCapabilities(IReadOnlyList<string> capabilities) => _capabilities.TrySetResult(capabilities);
}
