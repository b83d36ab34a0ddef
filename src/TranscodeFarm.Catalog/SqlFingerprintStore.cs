using System.Data.Common;
using System.Globalization;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Database;

namespace TranscodeFarm.Catalog;

/// <summary>Fingerprints in the farm database (SQLite embedded, PostgreSQL in a farm): video in the compact
/// binary form of <see cref="VideoFingerprintBinary"/>, audio as Chromaprint's raw words.</summary>
public sealed class SqlFingerprintStore(FarmDatabase database, TimeProvider time) : IFingerprintStore
{
    private const string Columns = "seq, collection, entry_id, name, duration_seconds, video, audio";

    public async Task SaveAsync(string collection, string entryId, string name, double durationSeconds, VideoFingerprint? video, AudioFingerprint? audio, CancellationToken cancellationToken)
    {
        if (!FingerprintCollections.IsValidName(collection))
        {
            throw new ArgumentException($"'{collection}' is not a valid collection name (lower-case letters, digits, '-', '_')", nameof(collection));
        }

        await using var db = await database.OpenAsync(cancellationToken);
        await using var tx = await db.BeginTransactionAsync(cancellationToken);
        // Delete + insert rather than update: the new row gets a new seq, which is how other hosts see the change.
        await ExecAsync(db, tx, "DELETE FROM fingerprints WHERE collection = @c AND entry_id = @id", cancellationToken, ("@c", collection), ("@id", entryId));
        await ExecAsync(db, tx, """
            INSERT INTO fingerprints (collection, entry_id, name, duration_seconds, video, audio, created_at)
            VALUES (@c, @id, @name, @duration, @video, @audio, @now)
            """, cancellationToken, ("@c", collection), ("@id", entryId), ("@name", name), ("@duration", durationSeconds),
            ("@video", video is { Count: > 0 } ? video.ToBytes() : null), ("@audio", audio is { Count: > 0 } ? audio.ToRawBytes() : null),
            ("@now", time.GetUtcNow().ToUnixTimeMilliseconds()));
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<bool> RemoveAsync(string collection, string entryId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await ExecAsync(db, null, "DELETE FROM fingerprints WHERE collection = @c AND entry_id = @id", cancellationToken, ("@c", collection), ("@id", entryId)) > 0;
    }

    public async Task<IReadOnlyList<StoredFingerprint>> ReadSinceAsync(long afterSeq, int limit, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await ReadAsync(db, $"SELECT {Columns} FROM fingerprints WHERE seq > @after ORDER BY seq LIMIT @limit", cancellationToken,
            ("@after", afterSeq), ("@limit", limit));
    }

    public async Task<IReadOnlySet<string>> KeysAsync(CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await using var cmd = FarmDatabase.Command(db, null, "SELECT collection, entry_id FROM fingerprints");
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (await r.ReadAsync(cancellationToken))
        {
            keys.Add(FingerprintCollections.Key(r.GetString(0), r.GetString(1)));
        }

        return keys;
    }

    public async Task<(long Count, long MaxSeq)> VersionAsync(CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await using var cmd = FarmDatabase.Command(db, null, "SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM fingerprints");
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        await r.ReadAsync(cancellationToken);
        return (Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture));
    }

    public async Task<StoredFingerprint?> GetAsync(string collection, string entryId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var rows = await ReadAsync(db, $"SELECT {Columns} FROM fingerprints WHERE collection = @c AND entry_id = @id", cancellationToken,
            ("@c", collection), ("@id", entryId));
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<FingerprintEntry>> ListAsync(string? collection, int limit, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var filter = collection is null ? "" : "WHERE collection = @c";
        await using var cmd = FarmDatabase.Command(db, null,
            $"SELECT {Columns}, created_at FROM fingerprints {filter} ORDER BY collection, seq DESC LIMIT @limit", ("@c", collection), ("@limit", limit));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        var entries = new List<FingerprintEntry>();
        while (await r.ReadAsync(cancellationToken))
        {
            var row = ReadRow(r);
            entries.Add(new FingerprintEntry(row.Collection, row.EntryId, row.Name, row.DurationSeconds, row.Video?.Count ?? 0, row.Audio?.Count ?? 0,
                DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(7), CultureInfo.InvariantCulture))));
        }

        return entries;
    }

    private static async Task<List<StoredFingerprint>> ReadAsync(DbConnection db, string sql, CancellationToken cancellationToken, params (string, object?)[] ps)
    {
        await using var cmd = FarmDatabase.Command(db, null, sql, ps);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        var rows = new List<StoredFingerprint>();
        while (await r.ReadAsync(cancellationToken))
        {
            rows.Add(ReadRow(r));
        }

        return rows;
    }

    private static StoredFingerprint ReadRow(DbDataReader r)
    {
        var video = r.IsDBNull(5) ? null : (byte[])r.GetValue(5);
        var parsed = video is null ? null : Parse(video, b => VideoFingerprint.FromBytes(b));
        return new StoredFingerprint(
            Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture),
            r.GetString(1),
            r.GetString(2),
            r.GetString(3),
            Convert.ToDouble(r.GetValue(4), CultureInfo.InvariantCulture),
            parsed,
            r.IsDBNull(6) ? null : Parse((byte[])r.GetValue(6), b => AudioFingerprint.ParseChromaprintRaw(b)))
        {
            VideoVersion = parsed is null ? 0 : VideoFingerprintBinary.VersionOf(video),
        };
    }

    /// <summary>One damaged row must not stop every host's index from loading: it is listed, never matched.</summary>
    private static T? Parse<T>(byte[] data, Func<byte[], T> parse) where T : class
    {
        try
        {
            return parse(data);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static async Task<int> ExecAsync(DbConnection db, DbTransaction? tx, string sql, CancellationToken cancellationToken, params (string, object?)[] ps)
    {
        await using var cmd = FarmDatabase.Command(db, tx, sql, ps);
        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
