namespace TranscodeFarm.Queue.Assets;

/// <summary>
/// SQLite announces nothing: the embedded edge runs in the worker's process and is told directly, and any other process
/// sharing the file (a CLI command, a separate edge) is only seen by polling <see cref="IAssetDirectory.ChangesSinceAsync"/>.
/// Listening says "catch up" once and then waits for the end, so hosts use the same code in both modes.
/// </summary>
public sealed class NoAssetChangeNotifications : IAssetChangeNotifications
{
    public static NoAssetChangeNotifications Instance { get; } = new();

    private NoAssetChangeNotifications()
    {
    }

    public async Task ListenAsync(Action<string> onChanged, Action onListening, CancellationToken cancellationToken)
    {
        onListening();
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
