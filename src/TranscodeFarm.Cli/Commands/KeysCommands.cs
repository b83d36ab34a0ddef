using System.CommandLine;
using System.Net;
using TranscodeFarm.Core.Drm;
using TranscodeFarm.Keys;

namespace TranscodeFarm.Cli.Commands;

/// <summary>`keys import|list|policy|export` (CPIX, key set policies) and `token` (playback tokens for an asset's media, keys and license).</summary>
public static class KeysCommands
{
    public static Command Create()
    {
        var cmd = new Command("keys", "Content keys: import keys from a DRM vendor's CPIX document with who may use them, export an asset's keys as CPIX");
        cmd.Subcommands.Add(Import());
        cmd.Subcommands.Add(List());
        cmd.Subcommands.Add(Policy());
        cmd.Subcommands.Add(Export());
        return cmd;
    }

    private static Command Import()
    {
        var file = new Argument<FileInfo>("cpix") { Description = "DASH-IF CPIX 2.3 document with clear (PlainValue) keys" };
        var keySet = new Option<string?>("--key-set") { Description = "Id to store the keys under (default: the document's contentId)" };
        var policyOptions = new KeySetPolicyOptions();
        var cmd = new Command("import", "Store a CPIX document's keys and PSSH boxes (sealed under Drm:MasterKey) with who may use them; jobs use them with --key-set / drm.keySet");
        cmd.Arguments.Add(file);
        cmd.Options.Add(keySet);
        policyOptions.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            var policy = policyOptions.Read(parse);
            using var farm = await FarmServices.CreateWithQueueAsync(parse, ct);
            var source = parse.GetValue(file)!;
            if (!source.Exists || source.Length > CpixDocument.MaxDocumentChars * 4L)
            {
                throw new CliException($"'{source.FullName}' does not exist or is too large for a CPIX document");
            }

            CpixDocument doc;
            try
            {
                doc = CpixDocument.Parse(await File.ReadAllTextAsync(source.FullName, ct));
            }
            catch (FormatException ex)
            {
                throw new CliException($"{source.Name}: {ex.Message}");
            }

            var id = parse.GetValue(keySet) ?? doc.ContentId ?? throw new CliException("the document has no contentId: give --key-set");
            if (!Core.Assets.ObjectKeys.IsValid(id + "/x"))
            {
                throw new CliException($"--key-set: '{id}' must be letters, digits, '-', '_' or '.'");
            }

            if (doc.ContentKeys.GroupBy(k => k.Track).FirstOrDefault(g => g.Count() > 1) is { } shared)
            {
                throw new CliException($"{source.Name}: {shared.Count()} keys are for track type '{shared.Key}': give each a ContentKeyUsageRule with its intendedTrackType (AUDIO, SD, HD...)");
            }

            var store = farm.Get<IContentKeyStore>();
            if (await store.LoadKeySetAsync(KeySet.ImportedId(id), ct) is not null)
            {
                throw new CliException($"key set '{id}' was imported before: give another --key-set");
            }

            await store.SaveKeySetAsync(new KeySet(KeySet.ImportedId(id), doc.ContentKeys, doc.DrmSystems) { Policy = policy }, ct);
            Console.WriteLine($"imported {doc.ContentKeys.Count} key(s) and {doc.DrmSystems.Count(s => s.Pssh is not null)} PSSH box(es) as key set '{id}'");
            foreach (var key in doc.ContentKeys)
            {
                Console.WriteLine($"  kid {key.KeyId} ({key.Track})");
            }

            Console.WriteLine($"  policy: {policy.Describe()}");
            return 0;
        });
        return cmd;
    }

    private static Command List()
    {
        var cmd = new Command("list", "Imported key sets with their policies (who may use them, clear delivery); never the keys");
        cmd.SetAction(async (parse, ct) =>
        {
            using var farm = await FarmServices.CreateWithQueueAsync(parse, ct);
            var sets = await farm.Get<IContentKeyStore>().ListImportedAsync(ct);
            if (sets.Count == 0)
            {
                Console.WriteLine("no imported key sets (`transcodefarm keys import`)");
            }

            foreach (var set in sets)
            {
                Console.WriteLine($"{set.Name}  {set.KeyCount} key(s), imported {set.ImportedAt:u}");
                Console.WriteLine($"  {set.Policy.Describe()}");
            }

            return 0;
        });
        return cmd;
    }

    private static Command Policy()
    {
        var keySet = new Argument<string>("key-set") { Description = "An imported key set (see `keys list`)" };
        var policyOptions = new KeySetPolicyOptions();
        var cmd = new Command("policy", "Replace an imported key set's policy (give every flag that should hold: clear delivery is off unless --allow-clear-delivery). " +
            "It applies to jobs from their next attempt and to key delivery at once");
        cmd.Arguments.Add(keySet);
        policyOptions.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            var policy = policyOptions.Read(parse);
            using var farm = await FarmServices.CreateWithQueueAsync(parse, ct);
            var name = parse.GetValue(keySet)!;
            if (!await farm.Get<IContentKeyStore>().SetPolicyAsync(KeySet.ImportedId(name), policy, ct))
            {
                throw new CliException($"no key set '{name}' was imported (see `transcodefarm keys list`)");
            }

            Console.WriteLine($"key set '{name}': {policy.Describe()}");
            return 0;
        });
        return cmd;
    }

    private static Command Export()
    {
        var asset = new Argument<string>("asset") { Description = "Asset (job) id" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write to this file (mode 600) instead of stdout" };
        var cmd = new Command("export", "Write an asset's keys as a CPIX 2.3 document, to register them with a license server (contains clear keys: handle as a secret)");
        cmd.Arguments.Add(asset);
        cmd.Options.Add(output);
        cmd.SetAction(async (parse, ct) =>
        {
            using var farm = await FarmServices.CreateWithQueueAsync(parse, ct);
            var id = parse.GetValue(asset)!;
            var keys = await farm.Get<IContentKeyStore>().AssetKeysAsync(id, null, deliverableOnly: false, ct);
            if (keys.Count == 0)
            {
                throw new CliException($"asset '{id}' has no content keys");
            }

            var systems = keys.SelectMany(k => new[]
            {
                new CpixDrmSystem(k.KeyId, DrmSystems.ClearKeyId, PsshBox.ForClearKey([k.KeyId])),
                new CpixDrmSystem(k.KeyId, DrmSystems.WidevineId, PsshBox.ForWidevine([k.KeyId], "cenc")),
            }).ToList();
            var xml = CpixDocument.Write(id, keys, systems);
            if (parse.GetValue(output) is { } file)
            {
                var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                await using var stream = new FileStream(file.FullName, options);
                await using var writer = new StreamWriter(stream);
                await writer.WriteAsync(xml);
                Console.Error.WriteLine($"wrote {keys.Count} key(s) of asset {id} to {file.FullName}");
            }
            else
            {
                Console.WriteLine(xml);
            }

            return 0;
        });
        return cmd;
    }

    public static Command Token()
    {
        var asset = new Argument<string>("asset") { Description = "Asset (job) id" };
        var ttl = new Option<TimeSpan?>("--ttl") { Description = "Lifetime (default Drm:TokenLifetime, 4 h), e.g. 00:30:00" };
        var clientIp = new Option<string?>("--client-ip") { Description = "Bind the token to this viewer's IP address (IPv4 or IPv6): the edge refuses it from any other" };
        var cmd = new Command("token", "Issue a signed playback token for an asset's playlists, segments, keys and license, and print the player URLs");
        cmd.Arguments.Add(asset);
        cmd.Options.Add(ttl);
        cmd.Options.Add(clientIp);
        cmd.SetAction((parse, ct) =>
        {
            using var farm = FarmServices.Create(parse);
            var id = parse.GetValue(asset)!;
            var secrets = farm.Get<DrmSecrets>();
            var expires = TimeProvider.System.GetUtcNow() + (parse.GetValue(ttl) ?? secrets.TokenLifetime);
            var ip = parse.GetValue(clientIp) is { } text ? ParseClientIp(text) : null;
            var token = PlaybackToken.Create(id, expires, secrets.TokenSigningKey, ip);
            Console.WriteLine(token);
            Console.Error.WriteLine(ip is null ? $"expires {expires:u}" : $"expires {expires:u}, only from {ip}");
            Console.Error.WriteLine($"HLS:      {farm.EdgeUrl}/vod/{id}/master.m3u8?token={token}");
            Console.Error.WriteLine($"DASH:     {farm.EdgeUrl}/vod/{id}/manifest.mpd?token={token}");
            Console.Error.WriteLine($"ClearKey: {farm.EdgeUrl}/license/clearkey/{id}?token={token}");
            return Task.FromResult(0);
        });
        return cmd;
    }

    /// <summary>
    /// A full address only: IPAddress.TryParse also takes inet_aton shorthands ("10.1" is 10.0.0.1), which on a command
    /// line are typos, and a token bound to the wrong address fails only when the viewer presses play.
    /// </summary>
    private static IPAddress ParseClientIp(string text)
    {
        var full = text.Contains(':', StringComparison.Ordinal) || text.Split('.').Length == 4;
        return full && IPAddress.TryParse(text, out var ip)
            ? ip
            : throw new CliException($"--client-ip: '{text}' is not an IPv4 or IPv6 address");
    }
}
