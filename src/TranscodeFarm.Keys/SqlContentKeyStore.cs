using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using TranscodeFarm.Core.Drm;
using TranscodeFarm.Database;

namespace TranscodeFarm.Keys;

/// <summary>The key store in the farm database (SQLite embedded, PostgreSQL in a farm).</summary>
public sealed class SqlContentKeyStore(FarmDatabase database, DrmSecrets secrets, TimeProvider time) : IContentKeyStore
{
    public async Task SaveKeySetAsync(KeySet keySet, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
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

        if (KeySet.IsImported(keySet.Id) && keySet.Policy is { IsUnset: false } policy)
        {
            // With the keys, in one transaction: an imported key set is never visible without the policy it was imported with.
            await UpsertPolicyAsync(db, tx, keySet.Id, policy, replace: false, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
    }

    public async Task<bool> SetPolicyAsync(string keySetId, KeySetPolicy policy, CancellationToken cancellationToken)
    {
        if (!KeySet.IsImported(keySetId) || policy.IsUnset)
        {
            throw new ArgumentException("only an imported key set has a policy, and it is set to a policy, not to 'unset'", nameof(keySetId));
        }

        await using var db = await database.OpenAsync(cancellationToken);
        await using var tx = await db.BeginTransactionAsync(cancellationToken);
        await using (var exists = Command(db, tx, "SELECT COUNT(*) FROM content_keys WHERE key_set = @set", ("@set", keySetId)))
        {
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
            {
                return false;
            }
        }

        await UpsertPolicyAsync(db, tx, keySetId, policy, replace: true, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<ImportedKeySet>> ListImportedAsync(CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await using var cmd = Command(db, null, $"""
            SELECT k.key_set, COUNT(*), MIN(k.created_at), {PolicyColumns}
            FROM content_keys k LEFT JOIN key_set_policies p ON p.key_set = k.key_set
            WHERE k.key_set LIKE 'cpix:%'
            GROUP BY k.key_set, p.key_set, p.allowed_profiles, p.allowed_submitters, p.clear_delivery
            ORDER BY k.key_set
            """);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        var sets = new List<ImportedKeySet>();
        while (await r.ReadAsync(cancellationToken))
        {
            sets.Add(new ImportedKeySet(KeySet.NameOf(r.GetString(0)), Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture),
                DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture)), ReadPolicy(r, 3)));
        }

        return sets;
    }

    public async Task<KeySet?> LoadKeySetAsync(string keySetId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
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

        return new KeySet(keySetId, keys, systems) { Policy = KeySet.IsImported(keySetId) ? await PolicyAsync(db, keySetId, cancellationToken) : null };
    }

    public async Task LinkAssetAsync(string assetId, IReadOnlyList<Guid> keyIds, bool clearDelivery, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
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
        if (deliverableOnly)
        {
            return (await DeliverAsync(assetId, keyIds, cancellationToken)).Keys;
        }

        await using var db = await database.OpenAsync(cancellationToken);
        var keys = await ReadKeysAsync(db, """
            SELECT k.kid, k.key_set, k.track, k.sealed_key FROM content_keys k JOIN asset_keys a ON a.kid = k.kid
            WHERE a.asset_id = @asset ORDER BY k.kid
            """, cancellationToken, ("@asset", assetId));
        return keyIds is null ? keys : keys.Where(k => keyIds.Contains(k.KeyId)).ToList();
    }

    public Task<KeyDelivery> ClearDeliveryAsync(string assetId, IReadOnlyCollection<Guid> keyIds, CancellationToken cancellationToken) =>
        DeliverAsync(assetId, keyIds, cancellationToken);

    /// <summary>
    /// The policy is read in the same query as the link, at each request: a policy changed after the asset was encrypted
    /// (or a link row written by an older version, or by hand) cannot hand out what the policy keeps back.
    /// </summary>
    private async Task<KeyDelivery> DeliverAsync(string assetId, IReadOnlyCollection<Guid>? keyIds, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await using var cmd = Command(db, null, $"""
            SELECT k.kid, k.key_set, k.track, k.sealed_key, a.clear_delivery, {PolicyColumns}
            FROM content_keys k JOIN asset_keys a ON a.kid = k.kid LEFT JOIN key_set_policies p ON p.key_set = k.key_set
            WHERE a.asset_id = @asset ORDER BY k.kid
            """, ("@asset", assetId));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ContentKey>();
        var refused = new List<(Guid, string)>();
        while (await r.ReadAsync(cancellationToken))
        {
            var kid = Guid.ParseExact(r.GetString(0), "N");
            if (keyIds is not null && !keyIds.Contains(kid))
            {
                continue;
            }

            var keySet = r.GetString(1);
            if (KeySet.IsImported(keySet) && ReadPolicy(r, 5).ClearDeliveryRefusal(KeySet.NameOf(keySet)) is { } reason)
            {
                refused.Add((kid, reason));
                continue;
            }

            if (Convert.ToInt32(r.GetValue(4), CultureInfo.InvariantCulture) != 1)
            {
                continue; // a Widevine/PlayReady/FairPlay-only asset: its keys stay with the license server
            }

            keys.Add(Open(kid, keySet, r.GetString(2), (byte[])r.GetValue(3)));
        }

        return new KeyDelivery(keys, refused);
    }

    /// <summary>key_set (null when no policy row), allowed_profiles, allowed_submitters, clear_delivery; read by <see cref="ReadPolicy"/>.</summary>
    private const string PolicyColumns = "p.key_set, p.allowed_profiles, p.allowed_submitters, p.clear_delivery";

    private static KeySetPolicy ReadPolicy(DbDataReader r, int first)
    {
        if (r.IsDBNull(first))
        {
            return KeySetPolicy.Unset;
        }

        var profiles = r.IsDBNull(first + 1) ? null : JsonSerializer.Deserialize<string[]>(r.GetString(first + 1));
        var submitters = r.IsDBNull(first + 2) ? null : JsonSerializer.Deserialize<string[]>(r.GetString(first + 2));
        return new KeySetPolicy
        {
            Profiles = profiles,
            // A name this version does not know (written by a newer one) allows nothing here.
            Submitters = submitters?.Select(n => KeySetPolicy.TryParseSubmitter(n, out var o) ? o : (Core.Jobs.JobOrigin?)null).OfType<Core.Jobs.JobOrigin>().ToList(),
            ClearDelivery = Convert.ToInt32(r.GetValue(first + 3), CultureInfo.InvariantCulture) == 1,
        };
    }

    private static async Task<KeySetPolicy> PolicyAsync(DbConnection db, string keySetId, CancellationToken cancellationToken)
    {
        await using var cmd = Command(db, null, $"SELECT {PolicyColumns} FROM key_set_policies p WHERE p.key_set = @set", ("@set", keySetId));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken) ? ReadPolicy(r, 0) : KeySetPolicy.Unset;
    }

    private async Task UpsertPolicyAsync(DbConnection db, DbTransaction tx, string keySetId, KeySetPolicy policy, bool replace, CancellationToken cancellationToken)
    {
        var onConflict = replace
            ? "DO UPDATE SET allowed_profiles = excluded.allowed_profiles, allowed_submitters = excluded.allowed_submitters, clear_delivery = excluded.clear_delivery, updated_at = excluded.updated_at"
            : "DO NOTHING";
        await ExecAsync(db, tx, $"""
            INSERT INTO key_set_policies (key_set, allowed_profiles, allowed_submitters, clear_delivery, updated_at)
            VALUES (@set, @profiles, @submitters, @clear, @now)
            ON CONFLICT (key_set) {onConflict}
            """, cancellationToken, ("@set", keySetId),
            ("@profiles", policy.Profiles is null ? null : JsonSerializer.Serialize(policy.Profiles)),
            ("@submitters", policy.Submitters is null ? null : JsonSerializer.Serialize(policy.Submitters.Select(KeySetPolicy.SubmitterName))),
            ("@clear", policy.ClearDelivery ? 1 : 0), ("@now", time.GetUtcNow().ToUnixTimeMilliseconds()));
    }

    private async Task<List<ContentKey>> ReadKeysAsync(DbConnection db, string sql, CancellationToken cancellationToken, params (string, object?)[] ps)
    {
        var keys = new List<ContentKey>();
        await using var cmd = Command(db, null, sql, ps);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            keys.Add(Open(Guid.ParseExact(r.GetString(0), "N"), r.GetString(1), r.GetString(2), (byte[])r.GetValue(3)));
        }

        return keys;
    }

    private ContentKey Open(Guid kid, string keySet, string track, byte[] sealedKey)
    {
        if (!KeySealer.TryOpen(secrets.MasterKey, sealedKey, KeySealer.AssociatedData(keySet, kid), out var key))
        {
            throw new InvalidOperationException($"content key {kid} does not open with this Drm:MasterKey (a different master key, or a tampered row)");
        }

        var opened = new ContentKey(kid, key, track);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
        return opened;
    }

    private static string Kid(Guid kid) => kid.ToString("N");

    private static async Task ExecAsync(DbConnection db, DbTransaction? tx, string sql, CancellationToken cancellationToken, params (string, object?)[] ps)
    {
        await using var cmd = Command(db, tx, sql, ps);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Command(DbConnection db, DbTransaction? tx, string sql, params (string Name, object? Value)[] ps) =>
        FarmDatabase.Command(db, tx, sql, ps);
}
