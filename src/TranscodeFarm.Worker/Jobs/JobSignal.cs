namespace TranscodeFarm.Worker.Jobs;

/// <summary>In-process nudge from ingest to idle job slots, so a dropped file starts without waiting a poll interval.</summary>
public sealed class JobSignal
{
    private readonly SemaphoreSlim _semaphore = new(0);

    public void Notify()
    {
        if (_semaphore.CurrentCount == 0)
        {
            _semaphore.Release();
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);
}
