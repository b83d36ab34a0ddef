namespace TranscodeFarm.Queue.Assets;

/// <summary>Tells a host as soon as an asset changes, so it need not poll <see cref="IAssetDirectory.ChangesSinceAsync"/>
/// often. Only PostgreSQL announces changes (<see cref="PostgresAssetNotifications"/>); on SQLite nothing is announced
/// (<see cref="NoAssetChangeNotifications"/>) and hosts in other processes must poll.</summary>
public interface IAssetChangeNotifications
{
    /// <summary>
    /// Runs until cancelled (usually ending in an <see cref="OperationCanceledException"/>). Calls <paramref name="onChanged"/> with
    /// the asset id of every change committed while listening, and <paramref name="onListening"/> each time listening
    /// (re)starts: changes committed while not listening were not announced, so that is the moment to catch up with
    /// <see cref="IAssetDirectory.ChangesSinceAsync"/>.
    /// </summary>
    Task ListenAsync(Action<string> onChanged, Action onListening, CancellationToken cancellationToken);
}
