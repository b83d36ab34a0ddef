using TranscodeFarm.Database;

namespace TranscodeFarm.Queue.Assets;

/// <summary>Asset changes announced by PostgreSQL: every change commits with <c>NOTIFY transcodefarm_assets, '&lt;asset id&gt;'</c>.</summary>
public sealed class PostgresAssetNotifications(FarmDatabase database) : IAssetChangeNotifications
{
    public const string Channel = "transcodefarm_assets";

    public Task ListenAsync(Action<string> onChanged, Action onListening, CancellationToken cancellationToken) =>
        database.ListenAsync(Channel, onChanged, onListening, cancellationToken);
}
