using System.CommandLine;
using Spectre.Console;
using TranscodeFarm.Queue.Assets;
using TranscodeFarm.Catalog;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Cli.Commands;

/// <summary>`assets list|purge|delete`: what the edges serve, in the job database every edge follows.</summary>
public static class AssetsCommands
{
    public static Command Create()
    {
        var cmd = new Command("assets", "List published assets; purge one from every edge's cache; delete one everywhere");
        cmd.Subcommands.Add(List());
        cmd.Subcommands.Add(Purge());
        cmd.Subcommands.Add(Delete());
        return cmd;
    }

    private static Command List()
    {
        var limit = new Option<int>("--limit") { Description = "How many (latest change first)", DefaultValueFactory = _ => 50 };
        var cmd = new Command("list", "List assets with their state, generation and change number");
        cmd.Options.Add(limit);
        cmd.SetAction(async (parse, ct) =>
        {
            using var farm = await FarmServices.CreateWithQueueAsync(parse, ct);
            var assets = await farm.Get<IAssetDirectory>().ListAsync(null, parse.GetValue(limit), ct);
            CliOutput.WriteTable(["asset", "state", "generation", "change", "changed", "token required", "reason"], assets.Select(a => (IReadOnlyList<string>)
            [
                a.AssetId, a.State.ToString().ToLowerInvariant(), a.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture),
                a.ChangeSeq.ToString(System.Globalization.CultureInfo.InvariantCulture), a.ChangedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
                a.RequireToken ? "yes" : "no", a.Reason ?? "",
            ]));
            return 0;
        });
        return cmd;
    }

    private static Command Purge()
    {
        var id = new Argument<string>("asset") { Description = "Asset ID" };
        var cmd = new Command("purge", "Drop an asset from every edge's cache (the edges fetch it again from the store)");
        cmd.Arguments.Add(id);
        cmd.SetAction(async (parse, ct) =>
        {
            using var farm = await FarmServices.CreateWithQueueAsync(parse, ct);
            var asset = parse.GetValue(id)!;
            if (await farm.Get<IAssetDirectory>().PurgeAsync(asset, ct) is not { } record)
            {
                throw new CliException($"asset '{asset}' is not in the job database");
            }

            Console.WriteLine($"{asset}: purged on every edge (change {record.ChangeSeq})");
            return 0;
        });
        return cmd;
    }

    private static Command Delete()
    {
        var id = new Argument<string>("asset") { Description = "Asset ID" };
        var cmd = new Command("delete", "Delete an asset: every edge stops serving it and drops it, then its objects and its fingerprint go (content keys stay, for `keys export`)");
        cmd.Arguments.Add(id);
        cmd.SetAction(async (parse, ct) =>
        {
            using var farm = await FarmServices.CreateWithQueueAsync(parse, ct);
            var asset = parse.GetValue(id)!;
            if (!Core.Assets.ObjectKeys.IsValid(asset + "/x") || Core.Assets.ObjectKeys.IsReserved(asset + "/"))
            {
                throw new CliException($"'{asset}' is not a valid asset ID");
            }

            // Edges first: from this change on, no edge serves the asset, even while its objects are still being deleted.
            var record = await farm.Get<IAssetDirectory>().MarkDeletedAsync(asset, "deleted with `transcodefarm assets delete`", ct);
            var store = farm.Get<IObjectStore>();
            var deleted = 0;
            await foreach (var o in store.ListAsync(asset + "/", ct))
            {
                deleted += await store.DeleteAsync(o.Key, ct) ? 1 : 0;
            }

            var fingerprint = await farm.Get<IFingerprintStore>().RemoveAsync(FingerprintCollections.Assets, asset, ct);
            Console.WriteLine($"{asset}: deleted (change {record.ChangeSeq}): {deleted} objects removed from {store.Describe}, fingerprint {(fingerprint ? "removed" : "absent")}; every edge drops it");
            return 0;
        });
        return cmd;
    }
}
