using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Media;
using TranscodeFarm.Catalog;

namespace TranscodeFarm.Cli.Commands;

/// <summary>
/// `match FILE | --asset ID`: where a file (or a published asset) matches the farm's catalog; `collection add|list|remove`:
/// reference collections such as "blocked", whose policy (Fingerprint:Collections:NAME:Policy) applies at ingest.
/// </summary>
public static class MatchCommands
{
    public static Command Match()
    {
        var file = new Argument<FileInfo?>("file") { Description = "Media file to match (decoded once by ffmpeg)", Arity = ArgumentArity.ZeroOrOne };
        var asset = new Option<string?>("--asset") { Description = "Match a published asset's stored fingerprint instead of a file" };
        var json = new Option<bool>("--json") { Description = "Print the matches as JSON" };
        var cmd = new Command("match", "Find where a file (or an asset) matches the farm's assets and reference collections: asset, kind, score, offset, matched duration. Exit code 1 when nothing matches");
        cmd.Arguments.Add(file);
        cmd.Options.Add(asset);
        cmd.Options.Add(json);
        cmd.SetAction(async (parse, ct) =>
        {
            using var farm = await FarmServices.CreateWithQueueAsync(parse, ct);
            var catalog = farm.Get<FingerprintCatalog>();
            var options = farm.Get<IOptions<FingerprintOptions>>().Value;
            VideoFingerprint? video;
            AudioFingerprint? audio;
            string name;
            string? exclude = null;
            if (parse.GetValue(asset) is { } assetId)
            {
                var stored = await catalog.Store.GetAsync(FingerprintCollections.Assets, assetId, ct)
                    ?? throw new CliException($"asset '{assetId}' has no stored fingerprint (not published by this farm, or published with Worker:Fingerprint=false)");
                (video, audio, name, exclude) = (stored.Video, stored.Audio, assetId, stored.Key);
            }
            else if (parse.GetValue(file) is { } source)
            {
                var fp = await FingerprintCommand.ExtractAsync(farm.Get<FingerprintExtractor>(), source, ct);
                (video, audio, name) = (fp.Video, fp.Audio, source.Name);
            }
            else
            {
                throw new CliException("give a FILE to match, or --asset ID");
            }

            var query = MatchQuery.Of(name, video, audio);
            var matches = await catalog.MatchAsync(video, audio, query.DurationSeconds, exclude, options.MaxMatches, options.DuplicateCoverage, ct);
            var report = new MatchReport(query, matches, catalog.Count);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, CliOutput.Json));
            }
            else
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {query.DurationSeconds:0.0} s, {query.VideoFrames} video frames, {query.AudioItems} audio items; {catalog.Count} entries searched"));
                Console.WriteLine(matches.Count == 0 ? "no match" : string.Join('\n', matches.Select(Describe)));
            }

            return matches.Count > 0 ? 0 : 1;
        });
        return cmd;
    }

    public static Command Collection()
    {
        var cmd = new Command("collection", "Reference collections of fingerprints (e.g. 'blocked'): uploads matching one get its policy (Fingerprint:Collections:NAME:Policy = reject or tag)");
        cmd.Subcommands.Add(Add());
        cmd.Subcommands.Add(List());
        cmd.Subcommands.Add(Remove());
        return cmd;
    }

    private static Command Add()
    {
        var name = new Argument<string>("collection") { Description = "Collection name (lower-case letters, digits, '-', '_')" };
        var files = new Argument<FileInfo[]>("files") { Description = "Reference media files (fingerprinted here; the files are not stored)", Arity = ArgumentArity.ZeroOrMore };
        var asset = new Option<string?>("--asset") { Description = "Add a published asset's fingerprint instead of files" };
        var cmd = new Command("add", "Fingerprint reference files (or take a published asset's fingerprint) into a collection");
        cmd.Arguments.Add(name);
        cmd.Arguments.Add(files);
        cmd.Options.Add(asset);
        cmd.SetAction(async (parse, ct) =>
        {
            var collection = CollectionName(parse.GetValue(name)!);
            using var farm = await FarmServices.CreateWithQueueAsync(parse, ct);
            var catalog = farm.Get<FingerprintCatalog>();
            if (parse.GetValue(asset) is { } assetId)
            {
                var stored = await catalog.Store.GetAsync(FingerprintCollections.Assets, assetId, ct)
                    ?? throw new CliException($"asset '{assetId}' has no stored fingerprint");
                await catalog.AddAsync(collection, assetId, stored.Name, stored.DurationSeconds, stored.Video, stored.Audio, ct);
                Console.WriteLine($"{collection}/{assetId}: added ({stored.Name})");
            }

            foreach (var source in parse.GetValue(files) ?? [])
            {
                var fp = await FingerprintCommand.ExtractAsync(farm.Get<FingerprintExtractor>(), source, ct);
                if (fp.Video.UsableCount == 0 && fp.Audio is null)
                {
                    throw new CliException($"{source.Name}: nothing to match on (no usable picture and no sound)");
                }

                // The id is the content's hash: adding the same file twice keeps one entry.
                var id = "ref-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(fp.Video.ToBytes().Concat(fp.Audio?.ToRawBytes() ?? []).ToArray()))[..16];
                var query = MatchQuery.Of(source.Name, fp.Video, fp.Audio);
                await catalog.AddAsync(collection, id, source.Name, query.DurationSeconds, fp.Video, fp.Audio, ct);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{collection}/{id}: added {source.Name} ({query.DurationSeconds:0.0} s, {fp.Video.Count} frames, {fp.Audio?.Count ?? 0} audio items)"));
            }

            return 0;
        });
        return cmd;
    }

    private static Command List()
    {
        var name = new Argument<string?>("collection") { Description = "Only this collection ('assets' lists published assets)", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var cmd = new Command("list", "List fingerprint entries per collection, with each collection's policy");
        cmd.Arguments.Add(name);
        cmd.Options.Add(json);
        cmd.SetAction(async (parse, ct) =>
        {
            using var farm = await FarmServices.CreateWithQueueAsync(parse, ct);
            var options = farm.Get<IOptions<FingerprintOptions>>().Value;
            var entries = await farm.Get<IFingerprintStore>().ListAsync(parse.GetValue(name), 1000, ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(entries, CliOutput.Json));
                return 0;
            }

            foreach (var group in entries.GroupBy(e => e.Collection))
            {
                var policy = group.Key == FingerprintCollections.Assets ? "duplicates: " + options.Duplicates : "policy: " + options.PolicyOf(group.Key);
                Console.WriteLine($"{group.Key} ({policy})");
                foreach (var e in group)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {e.EntryId}  {e.DurationSeconds,7:0.0} s  {e.VideoFrames,6} frames  {e.AudioItems,6} audio  {e.Name}"));
                }
            }

            return 0;
        });
        return cmd;
    }

    private static Command Remove()
    {
        var name = new Argument<string>("collection") { Description = "Collection name" };
        var id = new Argument<string>("id") { Description = "Entry id (as `collection list` shows it)" };
        var cmd = new Command("remove", "Remove an entry from a collection");
        cmd.Arguments.Add(name);
        cmd.Arguments.Add(id);
        cmd.SetAction(async (parse, ct) =>
        {
            using var farm = await FarmServices.CreateWithQueueAsync(parse, ct);
            var collection = CollectionName(parse.GetValue(name)!);
            var removed = await farm.Get<FingerprintCatalog>().RemoveAsync(collection, parse.GetValue(id)!, ct);
            Console.WriteLine(removed ? "removed" : "no such entry");
            return removed ? 0 : 1;
        });
        return cmd;
    }

    private static string CollectionName(string name) =>
        FingerprintCollections.IsValidName(name) && name != FingerprintCollections.Assets
            ? name
            : throw new CliException($"'{name}' is not a collection name: lower-case letters, digits, '-' or '_', and not 'assets' (published assets are added by the farm)");

    private static string Describe(CatalogMatch m) => string.Create(CultureInfo.InvariantCulture,
        $"{m.Kind,-9} {m.Collection}/{m.EntryId} ({m.Name}): score {m.Score:0.000}, offset {m.OffsetSeconds:0.00} s, {m.MatchedSeconds:0.0} s matched, by {m.Source}");
}
