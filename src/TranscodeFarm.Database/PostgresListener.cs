using Npgsql;

namespace TranscodeFarm.Database;

/// <summary>LISTEN on one channel, on a connection of its own, until cancelled; reconnects after errors.</summary>
internal static class PostgresListener
{
    /// <param name="onNotification">Called with each notification's payload.</param>
    /// <param name="onListening">Called each time LISTEN is in place: what was sent while not listening is lost, so the caller
    /// catches up then.</param>
    public static async Task ListenAsync(NpgsqlDataSource dataSource, string channel, Action<string> onNotification, Action onListening, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var db = await dataSource.OpenConnectionAsync(cancellationToken);
                db.Notification += (_, e) => onNotification(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", db))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                onListening();
                while (true)
                {
                    await db.WaitAsync(cancellationToken);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }
}
