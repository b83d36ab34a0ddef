using TranscodeFarm.Database;

namespace TranscodeFarm.Queue;

/// <summary>The embedded queue on its own SQLite file (see <see cref="SqliteFarmDatabase"/>): for tests and tools that
/// build a queue by hand; hosts build <see cref="SqlJobQueue"/> on the <see cref="FarmDatabase"/> from DI.</summary>
public sealed class SqliteJobQueue(string databasePath, QueueClock clock, QueueOptions options)
    : SqlJobQueue(new SqliteFarmDatabase(databasePath), clock, options);
