using TranscodeFarm.Core.Drm;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.IntegrationTests.Infrastructure;
using TranscodeFarm.Keys;
using TranscodeFarm.Queue;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// Key set policies in the job database, on SQLite and on a real PostgreSQL: stored with the import, replaced by
/// `keys policy`, and applied again at every delivery whatever the asset's link says.
/// </summary>
public abstract class ContentKeyStoreTests
{
    protected ManualTime Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected abstract Task<SqlJobQueue> CreateQueueAsync();

    private static DrmSecrets Secrets { get; } = new(new DrmOptions { MasterKey = Convert.ToHexString(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray()) }, null);

    private static KeySet Vendor(string name, KeySetPolicy? policy) =>
        new(KeySet.ImportedId(name), [ContentKey.Generate(ContentKey.AllTracks)], []) { Policy = policy };

    [Fact]
    public async Task An_imported_key_set_keeps_its_policy_and_an_operator_can_replace_it()
    {
        var store = new SqlContentKeyStore((await CreateQueueAsync()).Database, Secrets, Time);
        var policy = new KeySetPolicy { Profiles = ["premium", "trailers"], Submitters = [JobOrigin.Submit, JobOrigin.S3Prefix] };
        await store.SaveKeySetAsync(Vendor("vendor-a", policy), default);

        var loaded = (await store.LoadKeySetAsync(KeySet.ImportedId("vendor-a"), default))!.Policy!;
        Assert.Equal(["premium", "trailers"], loaded.Profiles);
        Assert.Equal([JobOrigin.Submit, JobOrigin.S3Prefix], loaded.Submitters);
        Assert.False(loaded.ClearDelivery);
        Assert.False(loaded.IsUnset);

        Assert.True(await store.SetPolicyAsync(KeySet.ImportedId("vendor-a"), new KeySetPolicy { ClearDelivery = true }, default));
        var replaced = (await store.LoadKeySetAsync(KeySet.ImportedId("vendor-a"), default))!.Policy!;
        Assert.True(replaced.IsUnrestricted);
        Assert.True(replaced.ClearDelivery);
        Assert.False(await store.SetPolicyAsync(KeySet.ImportedId("never-imported"), new KeySetPolicy(), default));

        // An asset's own keys have no policy.
        await store.SaveKeySetAsync(new KeySet("j-own", [ContentKey.Generate(ContentKey.AllTracks)], []), default);
        Assert.Null((await store.LoadKeySetAsync("j-own", default))!.Policy);
        Assert.Equal(["vendor-a"], (await store.ListImportedAsync(default)).Select(s => s.Name));
    }

    [Fact]
    public async Task A_key_set_without_a_policy_row_reads_as_unset_and_is_listed_as_such()
    {
        // What the migration leaves for a key set imported before policies existed: keys, no policy row.
        var store = new SqlContentKeyStore((await CreateQueueAsync()).Database, Secrets, Time);
        await store.SaveKeySetAsync(Vendor("old-vendor", null), default);
        Assert.Same(KeySetPolicy.Unset, (await store.LoadKeySetAsync(KeySet.ImportedId("old-vendor"), default))!.Policy);
        var listed = Assert.Single(await store.ListImportedAsync(default));
        Assert.Equal(("old-vendor", 1, true), (listed.Name, listed.KeyCount, listed.Policy.IsUnset));
    }

    [Fact]
    public async Task Vendor_keys_are_never_delivered_in_clear_unless_their_policy_allows_it_whatever_the_link_says()
    {
        var queue = await CreateQueueAsync();
        var store = new SqlContentKeyStore(queue.Database, Secrets, Time);
        var closed = Vendor("closed", new KeySetPolicy { Submitters = [JobOrigin.DropFolder] });
        var open = Vendor("open", new KeySetPolicy { Submitters = [JobOrigin.DropFolder], ClearDelivery = true });
        var legacy = Vendor("legacy", null);
        var own = new KeySet("j-asset", [ContentKey.Generate("audio")], []);
        foreach (var set in new[] { closed, open, legacy, own })
        {
            await store.SaveKeySetAsync(set, default);
        }

        var kids = new[] { closed, open, legacy, own }.Select(s => s.Keys[0].KeyId).ToList();
        // Linked as if the asset were a ClearKey one: the link alone would hand every key out.
        await store.LinkAssetAsync("j-asset", kids, clearDelivery: true, default);

        var delivery = await store.ClearDeliveryAsync("j-asset", kids, default);
        Assert.Equal(new[] { open.Keys[0].KeyId, own.Keys[0].KeyId }.Order(), delivery.Keys.Select(k => k.KeyId).Order());
        Assert.Equal(open.Keys[0].Key, delivery.Keys.Single(k => k.KeyId == open.Keys[0].KeyId).Key);
        var refused = delivery.Refused.ToDictionary(r => r.KeyId, r => r.Reason);
        Assert.Equal(2, refused.Count);
        Assert.Equal("key set 'closed' may not be delivered in clear: its licenses come from the DRM vendor", refused[closed.Keys[0].KeyId]);
        Assert.Contains("imported before key set policies", refused[legacy.Keys[0].KeyId], StringComparison.Ordinal);
        Assert.Equal(delivery.Keys.Select(k => k.KeyId).Order(), (await store.AssetKeysAsync("j-asset", null, deliverableOnly: true, default)).Select(k => k.KeyId).Order());
        // The operator's export still has them all.
        Assert.Equal(4, (await store.AssetKeysAsync("j-asset", null, deliverableOnly: false, default)).Count);

        // A policy change applies to the next request, without re-linking.
        await store.SetPolicyAsync(closed.Id, new KeySetPolicy { Submitters = [JobOrigin.DropFolder], ClearDelivery = true }, default);
        await store.SetPolicyAsync(open.Id, new KeySetPolicy { Submitters = [JobOrigin.DropFolder] }, default);
        var after = await store.ClearDeliveryAsync("j-asset", [closed.Keys[0].KeyId, open.Keys[0].KeyId], default);
        Assert.Equal(closed.Keys[0].KeyId, Assert.Single(after.Keys).KeyId);
        Assert.Equal(open.Keys[0].KeyId, Assert.Single(after.Refused).KeyId);

        // A key the asset links without clear delivery (a Widevine-only asset) is neither delivered nor "refused": unknown.
        await store.LinkAssetAsync("j-widevine", [own.Keys[0].KeyId], clearDelivery: false, default);
        var none = await store.ClearDeliveryAsync("j-widevine", [own.Keys[0].KeyId], default);
        Assert.Empty(none.Keys);
        Assert.Empty(none.Refused);
    }
}

public sealed class SqliteContentKeyStoreTests : ContentKeyStoreTests
{
    protected override Task<SqlJobQueue> CreateQueueAsync() =>
        Task.FromResult<SqlJobQueue>(new SqliteJobQueue(Path.Combine(Directory.CreateTempSubdirectory("transcodefarm-keydb-").FullName, "queue.db"), QueueClock.From(Time), new QueueOptions()));
}

public sealed class PostgresContentKeyStoreTests : ContentKeyStoreTests
{
    protected override async Task<SqlJobQueue> CreateQueueAsync() => await TestPostgres.CreateQueueAsync(Time, new QueueOptions());
}
