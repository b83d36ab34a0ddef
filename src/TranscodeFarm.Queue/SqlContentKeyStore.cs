using System.Data.Common;
using TranscodeFarm.Core.Drm;

namespace TranscodeFarm.Queue;

/// <summary>The key store on the queue's own database (SQLite embedded, PostgreSQL in a farm).</summary>
public sealed class SqlContentKeyStore(SqlJobQueue queue, DrmSecrets secrets, TimeProvider time) : IContentKeyStore
{
    public async Task SaveKeySetAsync(KeySet keySet, CancellationToken cancellationToken)
    {
        await using var db = await queue.OpenConnectionAsync(cancellationToken);
        await using var tx = await db.BeginTransactionAsync(cancellationToken);
        foreach (var key in keySet.Keys)
        {
            var sealedKey = KeySealer.Seal(secrets.MasterKey, key.Key, KeySealer.AssociatedData(keySet.Id, key.KeyId));
            await ExecAsync(db, tx, """
                INSERT INTO content_keys (kid, key_set, track, sealed_key, created_at) VALUES (@kid, @set, @track, @sealed, @now)
                ON CONFLICT DO NOTHING
                """, cancellationToken, ("@kid", Kid(key.KeyId)), ("@set", keySet.Id), ("@track", key.Track), ("@sealed", sealedKey),
                ("@now", time.GetUtcNow().ToUnixTimeMilliseconds()));
        }

        foreach (var system in keySet.Systems.Where(s => s.Pssh is not null))
        {
            await ExecAsync(db, tx, """
                INSERT INTO key_set_pssh (key_set, kid, system_id, pssh) VALUES (@set, @kid, @system, @pssh)
                ON CONFLICT (key_set, kid, system_id) DO NOTHING
                """, cancellationToken, ("@set", keySet.Id), ("@kid", Kid(system.KeyId)), ("@system", system.SystemId.ToString("D")), ("@pssh", system.Pssh));
        }

        await tx.CommitAsync(cancellationToken);
    }

    public async Task<KeySet?> LoadKeySetAsync(string keySetId, CancellationToken cancellationToken)
    {
        await using var db = await queue.OpenConnectionAsync(cancellationToken);
        var keys = await ReadKeysAsync(db, "SELECT kid, key_set, track, sealed_key FROM content_keys WHERE key_set = @set ORDER BY created_at, kid",
            cancellationToken, ("@set", keySetId));
        if (keys.Count == 0)
        {
            return null;
        }

        var systems = new List<CpixDrmSystem>();
        await using (var cmd = Command(db, null, "SELECT kid, system_id, pssh FROM key_set_pssh WHERE key_set = @set", ("@set", keySetId)))
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await r.ReadAsync(cancellationToken))
            {
                systems.Add(new CpixDrmSystem(Guid.ParseExact(r.GetString(0), "N"), Guid.Parse(r.GetString(1)), (byte[])r.GetValue(2)));
            }
        }

        return new KeySet(keySetId, keys, systems);
    }

    public async Task LinkAssetAsync(string assetId, IReadOnlyList<Guid> keyIds, bool clearDelivery, CancellationToken cancellationToken)
    {
        await using var db = await queue.OpenConnectionAsync(cancellationToken);
        await using var tx = await db.BeginTransactionAsync(cancellationToken);
        foreach (var kid in keyIds)
        {
            await ExecAsync(db, tx, """
                INSERT INTO asset_keys (asset_id, kid, clear_delivery) VALUES (@asset, @kid, @clear)
                ON CONFLICT (asset_id, kid) DO UPDATE SET clear_delivery = excluded.clear_delivery
                """, cancellationToken, ("@asset", assetId), ("@kid", Kid(kid)), ("@clear", clearDelivery ? 1 : 0));
        }

        await tx.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ContentKey>> AssetKeysAsync(string assetId, IReadOnlyCollection<Guid>? keyIds, bool deliverableOnly, CancellationToken cancellationToken)
    {
        await using var db = await queue.OpenConnectionAsync(cancellationToken);
        var keys = await ReadKeysAsync(db, """
            SELECT k.kid, k.key_set, k.track, k.sealed_key FROM content_keys k JOIN asset_keys a ON a.kid = k.kid
            WHERE a.asset_id = @asset AND (a.clear_delivery = 1 OR @all = 1) ORDER BY k.kid
            """, cancellationToken, ("@asset", assetId), ("@all", deliverableOnly ? 0 : 1));
        return keyIds is null ? keys : keys.Where(k => keyIds.Contains(k.KeyId)).ToList();
    }

    private async Task<List<ContentKey>> ReadKeysAsync(DbConnection db, string sql, CancellationToken cancellationToken, params (string, object?)[] ps)
    {
        var keys = new List<ContentKey>();
        await using var cmd = Command(db, null, sql, ps);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            var kid = Guid.ParseExact(r.GetString(0), "N");
            var keySet = r.GetString(1);
            if (!KeySealer.TryOpen(secrets.MasterKey, (byte[])r.GetValue(3), KeySealer.AssociatedData(keySet, kid), out var key))
            {
                throw new InvalidOperationException($"content key {kid} does not open with this Drm:MasterKey (a different master key, or a tampered row)");
            }

            keys.Add(new ContentKey(kid, key, r.GetString(2)));
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
        }

        return keys;
    }

    private static string Kid(Guid kid) => kid.ToString("N");

    private static async Task ExecAsync(DbConnection db, DbTransaction? tx, string sql, CancellationToken cancellationToken, params (string, object?)[] ps)
    {
        await using var cmd = Command(db, tx, sql, ps);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Command(DbConnection db, DbTransaction? tx, string sql, params (string Name, object? Value)[] ps) =>
        SqlJobQueue.Command(db, tx, sql, ps);
}
