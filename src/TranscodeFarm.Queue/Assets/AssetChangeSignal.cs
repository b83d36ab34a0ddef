namespace TranscodeFarm.Queue.Assets;

/// <summary>
/// In-process word that an asset changed: in embedded mode the worker publishing an asset wakes the edge in the same
/// process at once (a farm's edges hear it through NOTIFY instead). Raising twice before a wait wakes it once.
/// </summary>
public sealed class AssetChangeSignal
{
    private readonly SemaphoreSlim _raised = new(0, 1);

    public void Raise()
    {
        try
        {
            _raised.Release();
        }
        catch (SemaphoreFullException)
        {
            // already raised and not yet consumed
        }
    }

    /// <summary>Waits for a raise or for <paramref name="timeout"/>; true when raised.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _raised.WaitAsync(timeout, cancellationToken);
}
