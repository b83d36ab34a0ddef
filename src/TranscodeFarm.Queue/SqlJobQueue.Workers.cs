using System.Data.Common;

namespace TranscodeFarm.Queue;

public partial class SqlJobQueue : IWorkerRegistry
{
    public async Task RegisterWorkerAsync(WorkerInfo worker, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var now = await NowAsync(db, null, cancellationToken);
        await ExecAsync(db, null, cancellationToken, """
            INSERT INTO workers (id, host, capabilities, slots, version, started_at, heartbeat_at)
            VALUES (@id, @host, @caps, @slots, @version, @now, @now)
            ON CONFLICT (id) DO UPDATE SET capabilities = @caps, slots = @slots, heartbeat_at = @now
            """,
            ("@id", worker.Id), ("@host", worker.Host), ("@caps", string.Join(',', worker.Capabilities)),
            ("@slots", worker.Slots), ("@version", worker.Version), ("@now", now));
    }

    public async Task HeartbeatWorkerAsync(string workerId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await ExecAsync(db, null, cancellationToken, "UPDATE workers SET heartbeat_at = @now WHERE id = @id", ("@now", await NowAsync(db, null, cancellationToken)), ("@id", workerId));
    }

    public async Task UnregisterWorkerAsync(string workerId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await ExecAsync(db, null, cancellationToken, "DELETE FROM workers WHERE id = @id", ("@id", workerId));
    }

    public async Task<IReadOnlyList<WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var cmd = Command(db, null, "SELECT id, host, capabilities, slots, version, started_at, heartbeat_at FROM workers ORDER BY host, id");
        await using DbDataReader r = await cmd.ExecuteReaderAsync(cancellationToken);
        var workers = new List<WorkerInfo>();
        while (await r.ReadAsync(cancellationToken))
        {
            workers.Add(new WorkerInfo(
                r.GetString(0),
                r.GetString(1),
                r.GetString(2).Split(',', StringSplitOptions.RemoveEmptyEntries),
                Convert.ToInt32(r.GetValue(3), System.Globalization.CultureInfo.InvariantCulture),
                r.GetString(4),
                FromMs(Convert.ToInt64(r.GetValue(5), System.Globalization.CultureInfo.InvariantCulture)),
                FromMs(Convert.ToInt64(r.GetValue(6), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return workers;
    }
}
