namespace TranscodeFarm.Queue.Assets;

/// <summary>Asset changes announced by PostgreSQL: every change commits with <c>NOTIFY transcodefarm_assets, '&lt;asset id&gt;'</c>.</summary>
public sealed class PostgresAssetNotifications(PostgresJobQueue queue) : IAssetChangeNotifications
{
    public const string Channel = "transcodefarm_assets";

    public Task ListenAsync(Action<string> onChanged, Action onListening, CancellationToken cancellationToken) =>
        PostgresListener.ListenAsync(queue.DataSource, Channel, onChanged, onListening, cancellationToken);
}
