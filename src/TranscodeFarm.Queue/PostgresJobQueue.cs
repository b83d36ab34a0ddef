using Npgsql;
using TranscodeFarm.Database;

namespace TranscodeFarm.Queue;

/// <summary>The farm queue on a PostgreSQL data source it owns (see <see cref="PostgresFarmDatabase"/>): for tests and
/// tools that build a queue by hand; hosts build <see cref="SqlJobQueue"/> on the <see cref="FarmDatabase"/> from DI.</summary>
public sealed class PostgresJobQueue(NpgsqlDataSource dataSource, QueueClock clock, QueueOptions options)
    : SqlJobQueue(new PostgresFarmDatabase(dataSource), clock, options), IDisposable, IAsyncDisposable
{
    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    public void Dispose() => dataSource.Dispose();
}
