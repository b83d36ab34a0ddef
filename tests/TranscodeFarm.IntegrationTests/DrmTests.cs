using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Data.Sqlite;
using TranscodeFarm.Core.Drm;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Encryption;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// Encrypted packaging end to end: a real farm encrypts, ffmpeg decrypts independently with the key the edge
/// hands out, and the decoded frames equal the clear output of the same encode.
/// </summary>
[Collection(SharedFarmCollection.Name)]
public sealed class DrmTests(SharedFarm shared)
{
    private static readonly XNamespace Mpd = "urn:mpeg:dash:schema:mpd:2011";
    private static readonly XNamespace Cenc = "urn:mpeg:cenc:2013";

    private FarmProcess Farm => shared.Farm;

    private string Folder(string assetId) => Farm.AssetFolder(assetId);

    [Theory]
    [InlineData(EncryptionScheme.Cenc)]
    [InlineData(EncryptionScheme.Cbcs)]
    public async Task Ffmpeg_decrypts_every_segment_to_the_frames_of_the_clear_packaging_of_the_same_encode(EncryptionScheme scheme)
    {
        // One real encode with the farm's own ffmpeg arguments, packaged twice in process: clear and encrypted.
        var encode = await SameEncode.Value;
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        var kid = Guid.NewGuid();
        var clear = await PackageAsync(encode, null);
        var encrypted = await PackageAsync(encode, new TrackEncryption(scheme, kid, key,
            System.Security.Cryptography.RandomNumberGenerator.GetBytes(scheme == EncryptionScheme.Cenc ? 8 : 16), [PsshBox.ForClearKey([kid])]));
        var segments = Directory.EnumerateFiles(encrypted, "seg-*.m4s").Select(Path.GetFileName).Order().ToList();
        Assert.True(segments.Count >= 9, "3 tracks × 3 segments expected");
        foreach (var segment in segments)
        {
            var init = $"init-{segment!.Split('-')[1]}.mp4";
            var reference = await DrmAssets.FrameMd5Async(clear, init, segment, null);
            Assert.True(reference.ExitCode == 0 && reference.Frames.Length > 0, "clear reference did not decode");
            Assert.NotEqual(await File.ReadAllBytesAsync(Path.Combine(clear, segment)), await File.ReadAllBytesAsync(Path.Combine(encrypted, segment)));
            var decrypted = await DrmAssets.FrameMd5Async(encrypted, init, segment, key);
            Assert.Equal(reference.Frames, decrypted.Frames);
            var garbled = await DrmAssets.FrameMd5Async(encrypted, init, segment, key.Select(b => (byte)(b ^ 0x5A)).ToArray());
            Assert.NotEqual(reference.Frames, garbled.Frames);
        }
    }

    [Theory]
    [InlineData(EncryptionScheme.Cenc)]
    [InlineData(EncryptionScheme.Cbcs)]
    public async Task Hevc_segments_decrypt_to_the_frames_of_their_clear_packaging(EncryptionScheme scheme)
    {
        // libx265 with its default wavefront parallelism (entry points in every slice header).
        var encode = await HevcEncode.Value;
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        var kid = Guid.NewGuid();
        var clear = await PackageAsync(encode, null);
        var encrypted = await PackageAsync(encode, new TrackEncryption(scheme, kid, key,
            System.Security.Cryptography.RandomNumberGenerator.GetBytes(scheme == EncryptionScheme.Cenc ? 8 : 16), []));
        var segments = Directory.EnumerateFiles(encrypted, "seg-*.m4s").Select(Path.GetFileName).Order().ToList();
        Assert.True(segments.Count >= 2);
        foreach (var segment in segments)
        {
            var reference = await DrmAssets.FrameMd5Async(clear, "init-0.mp4", segment!, null);
            Assert.True(reference.ExitCode == 0 && reference.Frames.Length > 0, "clear HEVC reference did not decode");
            Assert.Equal(reference.Frames, (await DrmAssets.FrameMd5Async(encrypted, "init-0.mp4", segment!, key)).Frames);
            Assert.NotEqual(reference.Frames, (await DrmAssets.FrameMd5Async(encrypted, "init-0.mp4", segment!, null)).Frames);
        }
    }

    private static readonly Lazy<Task<string>> HevcEncode = new(async () =>
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("transcodefarm-hevc-").FullName, "hevc.mp4");
        await Tools.CheckedFfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=4", "-c:v", "libx265", "-preset", "ultrafast",
            "-x265-params", "keyint=30:min-keyint=30:log-level=error", "-tag:v", "hvc1", "-pix_fmt", "yuv420p",
            "-f", "mp4", "-movflags", "+empty_moov+default_base_moof+cmaf", "-frag_duration", "1000000", output);
        return output;
    });

    [Theory]
    [InlineData("cenc")]
    [InlineData("cbcs")]
    public async Task A_farm_encrypted_asset_decrypts_with_the_key_the_edge_hands_out(string scheme)
    {
        var clear = (await LadderOutputTests.LadderJobAsync(Farm)).Outputs!.AssetId;
        var encrypted = (await DrmAssets.JobAsync(Farm, scheme)).Outputs!.AssetId;
        var mpd = DashParser.Parse(await File.ReadAllTextAsync(Path.Combine(Folder(encrypted), OutputLayout.DashManifest)));
        Assert.Equal(3, mpd.Representations.Count);
        foreach (var rep in mpd.Representations)
        {
            var key = await DrmAssets.KeyAsync(Farm, encrypted, DrmAssets.KidOf(await File.ReadAllBytesAsync(Path.Combine(Folder(encrypted), rep.Initialization))));
            foreach (var segment in rep.Segments)
            {
                // Clear and encrypted come from two encodes of the same clip: same frame count and timing.
                var reference = await DrmAssets.FrameMd5Async(Folder(clear), rep.Initialization, segment, null);
                var decrypted = await DrmAssets.FrameMd5Async(Folder(encrypted), rep.Initialization, segment, key);
                Assert.True(decrypted.ExitCode == 0, $"{rep.Id}/{segment} did not decrypt");
                Assert.Equal(Timing(reference.Frames), Timing(decrypted.Frames));
                var undecrypted = await DrmAssets.FrameMd5Async(Folder(encrypted), rep.Initialization, segment, null);
                Assert.NotEqual(decrypted.Frames, undecrypted.Frames);
            }
        }

    }

    private static string Timing(string frames) => string.Join('\n', frames.Split('\n').Select(l => string.Join(',', l.Split(',').Take(5))));

    private static readonly Lazy<Task<string>> SameEncode = new(async () =>
    {
        var clip = await TestMedia.ClipAsync(320, 240, 6);
        var profile = Core.Profiles.ProfileParser.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "ffmpeg-profiles", "test-tiny.json")), "test-tiny").Profile!;
        var source = (await new Media.MediaProber(new Media.MediaOptions()).ProbeAsync(clip, default)).Source!;
        var plan = Core.Planning.LadderPlanner.Plan(profile, source).Plan!;
        var output = Path.Combine(Directory.CreateTempSubdirectory("transcodefarm-encode-").FullName, "ladder.mp4");
        await Tools.CheckedFfmpegAsync([.. Core.Ffmpeg.EncodeArgumentBuilder.Build(plan, clip, output).Skip(4)]);
        return output;
    });

    private static async Task<string> PackageAsync(string encode, TrackEncryption? encryption)
    {
        var folder = Directory.CreateTempSubdirectory("transcodefarm-package-").FullName;
        using var packager = new CmafPackager(new PackagerOptions(2) { EncryptionFor = (_, _) => encryption }, new FileSink(folder));
        await using var file = File.OpenRead(encode);
        await new FragmentedMp4Demuxer().RunAsync(System.IO.Pipelines.PipeReader.Create(file), packager, default);
        await packager.CompleteAsync(default);
        return folder;
    }

    private sealed class FileSink(string folder) : ISegmentSink
    {
        public async ValueTask WriteAsync(PackagedObject packaged, CancellationToken cancellationToken) =>
            await File.WriteAllBytesAsync(Path.Combine(folder, packaged.Name), packaged.Bytes, cancellationToken);
    }

    [Theory]
    [InlineData("cenc", "SAMPLE-AES-CTR")]
    [InlineData("cbcs", "SAMPLE-AES")]
    public async Task Manifests_signal_the_keys_and_pssh_of_the_init_segments(string scheme, string method)
    {
        var asset = (await DrmAssets.JobAsync(Farm, scheme)).Outputs!.AssetId;
        var folder = Folder(asset);
        var mpd = XDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, OutputLayout.DashManifest)));
        foreach (var set in mpd.Descendants(Mpd + "AdaptationSet"))
        {
            var protections = set.Elements(Mpd + "ContentProtection").ToList();
            var mp4 = protections.Single(p => (string?)p.Attribute("schemeIdUri") == "urn:mpeg:dash:mp4protection:2011");
            Assert.Equal(scheme, (string?)mp4.Attribute("value"));
            var kid = Guid.Parse((string)mp4.Attribute(Cenc + "default_KID")!);
            foreach (var rep in set.Elements(Mpd + "Representation"))
            {
                var init = await File.ReadAllBytesAsync(Path.Combine(folder, $"init-{(string)rep.Attribute("id")!}.mp4"));
                Assert.Equal(kid, DrmAssets.KidOf(init));
                var moov = Mp4BoxParser.Parse(init).Single(b => b.Type == FourCc.Moov);
                var initPssh = moov.ChildrenOf(FourCc.Pssh).Select(b => Convert.ToBase64String(b.ToArray())).Order().ToList();
                var mpdPssh = protections.Select(p => p.Element(Cenc + "pssh")?.Value).OfType<string>().Order().ToList();
                Assert.Equal(initPssh, mpdPssh);
                Assert.Equal(2, mpdPssh.Count);
                Assert.Contains(protections, p => (string?)p.Attribute("schemeIdUri") == "urn:uuid:" + DrmSystems.ClearKeyId.ToString("D"));
                Assert.Contains(protections, p => (string?)p.Attribute("schemeIdUri") == "urn:uuid:" + DrmSystems.WidevineId.ToString("D"));
            }
        }

        var master = HlsParser.ParseMaster(await File.ReadAllTextAsync(Path.Combine(folder, OutputLayout.HlsMaster)));
        foreach (var playlist in master.Variants.Select(v => v.Uri).Concat(master.Media.Select(m => m.Uri!)))
        {
            var text = await File.ReadAllTextAsync(Path.Combine(folder, playlist));
            var keys = text.Split('\n').Where(l => l.StartsWith("#EXT-X-KEY:", StringComparison.Ordinal)).Select(l => HlsParser.ParseAttributes(l["#EXT-X-KEY:".Length..])).ToList();
            Assert.All(keys, k => Assert.Equal(method, k["METHOD"]));
            var init = await File.ReadAllBytesAsync(Path.Combine(folder, HlsParser.ParseMedia(text).MapUri!));
            var kidHex = "0x" + Convert.ToHexStringLower(DrmAssets.KidOf(init).ToByteArray(bigEndian: true));
            Assert.Equal(kidHex, keys.Single(k => k["KEYFORMAT"] == "urn:uuid:" + DrmSystems.WidevineId.ToString("D"))["KEYID"]);
            Assert.Equal(kidHex, keys.Single(k => k["KEYFORMAT"] == "org.w3.clearkey")["KEYID"]);
            Assert.Equal(scheme == "cenc", keys.Any(k => k["KEYFORMAT"] == "identity"));
        }
    }

    [Fact]
    public async Task Clearkey_license_endpoint_hands_out_keys_only_for_a_valid_token()
    {
        var asset = (await DrmAssets.JobAsync(Farm, "cenc")).Outputs!.AssetId;
        var kid = DrmAssets.KidOf(await File.ReadAllBytesAsync(Path.Combine(Folder(asset), "init-0.mp4")));
        var token = await DrmAssets.TokenAsync(Farm, asset);

        async Task<HttpResponseMessage> LicenseAsync(string query, string body) =>
            await Farm.Http.PostAsync(new Uri($"/license/clearkey/{asset}{query}", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        using var ok = await LicenseAsync($"?token={token}", DrmAssets.ClearKeyRequest(kid));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var json = JsonDocument.Parse(await ok.Content.ReadAsStringAsync());
        var k = json.RootElement.GetProperty("keys")[0];
        Assert.Equal("oct", k.GetProperty("kty").GetString());
        Assert.Equal(DrmAssets.Base64Url(kid.ToByteArray(bigEndian: true)), k.GetProperty("kid").GetString());
        Assert.Equal(DrmAssets.Base64Url(await DrmAssets.KeyAsync(Farm, asset, kid)), k.GetProperty("k").GetString());
        Assert.Equal("no-store", ok.Headers.CacheControl!.ToString());

        using var missing = await LicenseAsync("", DrmAssets.ClearKeyRequest(kid));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        var forged = token[..^3] + (token[^3] == 'A' ? "B" : "A") + token[^2..];
        using var bad = await LicenseAsync($"?token={forged}", DrmAssets.ClearKeyRequest(kid));
        Assert.Equal(HttpStatusCode.Forbidden, bad.StatusCode);
        var expired = await DrmAssets.TokenAsync(Farm, asset, "00:00:00");
        using var late = await LicenseAsync($"?token={expired}", DrmAssets.ClearKeyRequest(kid));
        Assert.Equal(HttpStatusCode.Forbidden, late.StatusCode);
        Assert.Contains("Expired", await late.Content.ReadAsStringAsync());
        var otherAsset = await DrmAssets.TokenAsync(Farm, "someone-else");
        using var wrongAsset = await LicenseAsync($"?token={otherAsset}", DrmAssets.ClearKeyRequest(kid));
        Assert.Equal(HttpStatusCode.Forbidden, wrongAsset.StatusCode);
        using var unknown = await LicenseAsync($"?token={token}", DrmAssets.ClearKeyRequest(Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var garbage = await LicenseAsync($"?token={token}", "{\"kids\": 5}");
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        using var noKeyToken = await Farm.Http.GetAsync(new Uri($"/keys/{asset}/{kid:N}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, noKeyToken.StatusCode);

        var metrics = await Farm.MetricsAsync();
        Assert.Contains("transcodefarm_edge_key_requests_total{endpoint=\"clearkey\",result=\"ok\"}", metrics);
        Assert.Contains("transcodefarm_edge_key_requests_total{endpoint=\"token\",result=\"expired\"}", metrics);
    }

    [Fact]
    public async Task Keys_of_an_asset_without_clearkey_never_leave_the_key_store_through_the_edge()
    {
        var asset = (await DrmAssets.JobAsync(Farm, "cbcs", "\"widevine\", \"fairplay\"")).Outputs!.AssetId;
        var kid = DrmAssets.KidOf(await File.ReadAllBytesAsync(Path.Combine(Folder(asset), "init-0.mp4")));
        var token = await DrmAssets.TokenAsync(Farm, asset);
        using var key = await Farm.Http.GetAsync(new Uri($"/keys/{asset}/{kid:N}?token={token}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, key.StatusCode);
        using var license = await Farm.Http.PostAsync(new Uri($"/license/clearkey/{asset}?token={token}", UriKind.Relative),
            new StringContent(DrmAssets.ClearKeyRequest(kid), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, license.StatusCode);
        // The operator still gets them, for the Widevine/FairPlay license servers.
        var exported = await Tools.CliAsync(FarmProcess.TestEnvironment(Farm.DataDirectory), "keys", "export", asset);
        Assert.Equal(kid, Assert.Single(CpixDocument.Parse(exported.Stdout).ContentKeys).KeyId);
        var media = await File.ReadAllTextAsync(Path.Combine(Folder(asset), "media_0.m3u8"));
        Assert.Contains("KEYFORMAT=\"com.apple.streamingkeydelivery\"", media);
        Assert.DoesNotContain("/keys/", media);
    }

    [Fact]
    public async Task Keys_are_sealed_at_rest_and_never_logged()
    {
        var asset = (await DrmAssets.JobAsync(Farm, "cbcs")).Outputs!.AssetId;
        var kid = DrmAssets.KidOf(await File.ReadAllBytesAsync(Path.Combine(Folder(asset), "init-0.mp4")));
        var key = await DrmAssets.KeyAsync(Farm, asset, kid);
        Assert.Equal(16, key.Length);

        await using var db = new SqliteConnection($"Data Source={Path.Combine(Farm.DataDirectory, "queue.db")};Mode=ReadOnly");
        await db.OpenAsync();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT sealed_key FROM content_keys WHERE kid = $kid";
        cmd.Parameters.AddWithValue("$kid", kid.ToString("N"));
        var stored = (byte[])(await cmd.ExecuteScalarAsync())!;
        Assert.True(stored.Length >= 16 + 12 + 16, "the stored value has a nonce and a tag");
        Assert.True(stored.AsSpan().IndexOf(key) < 0, "the raw key is in the database");

        var logs = Farm.Output;
        Assert.Contains(asset, logs); // the logs are there and mention the asset...
        foreach (var form in new[] { Convert.ToHexStringLower(key), Convert.ToHexString(key), Convert.ToBase64String(key).TrimEnd('='), DrmAssets.Base64Url(key) })
        {
            Assert.DoesNotContain(form, logs, StringComparison.Ordinal); // ...but never the key
        }
    }

    [Fact]
    public async Task Aes128_segments_decrypt_to_the_clear_segments_and_there_is_no_mpd()
    {
        var clear = (await LadderOutputTests.LadderJobAsync(Farm)).Outputs!.AssetId;
        var job = await DrmAssets.JobAsync(Farm, "aes-128", systems: "");
        var folder = Folder(job.Outputs!.AssetId);
        Assert.False(File.Exists(Path.Combine(folder, OutputLayout.DashManifest)));
        Assert.Equal("", job.Outputs.DashManifest);
        var media = await File.ReadAllTextAsync(Path.Combine(folder, "media_0.m3u8"));
        var keyLine = media.Split('\n').Single(l => l.StartsWith("#EXT-X-KEY:", StringComparison.Ordinal));
        Assert.True(media.IndexOf("#EXT-X-MAP", StringComparison.Ordinal) < media.IndexOf(keyLine, StringComparison.Ordinal), "the init segment must stay clear");
        var uri = HlsParser.ParseAttributes(keyLine["#EXT-X-KEY:".Length..])["URI"];
        Assert.Equal("AES-128", HlsParser.ParseAttributes(keyLine["#EXT-X-KEY:".Length..])["METHOD"]);
        var token = await DrmAssets.TokenAsync(Farm, job.Outputs.AssetId);
        var key = await Farm.Http.GetByteArrayAsync(new Uri($"{uri}?token={token}", UriKind.Relative));
        var segments = HlsParser.ParseMedia(media).Segments;
        var decrypted = Directory.CreateTempSubdirectory("transcodefarm-aes128-").FullName;
        File.Copy(Path.Combine(folder, "init-0.mp4"), Path.Combine(decrypted, "init-0.mp4"));
        for (var i = 0; i < segments.Count; i++)
        {
            var encrypted = await File.ReadAllBytesAsync(Path.Combine(folder, segments[i].Uri));
            var plain = Core.Packaging.Encryption.SegmentAes128.Decrypt(encrypted, key, mediaSequence: i);
            Assert.Equal("styp", System.Text.Encoding.ASCII.GetString(plain, 4, 4)); // a CMAF segment again
            await File.WriteAllBytesAsync(Path.Combine(decrypted, segments[i].Uri), plain);
            // Clear and encrypted come from two encodes of the same clip: the decrypted segment decodes to the same frame timing.
            var reference = await DrmAssets.FrameMd5Async(Folder(clear), "init-0.mp4", segments[i].Uri, null);
            var decoded = await DrmAssets.FrameMd5Async(decrypted, "init-0.mp4", segments[i].Uri, null);
            Assert.True(decoded.ExitCode == 0, $"{segments[i].Uri} does not decode after decryption");
            Assert.Equal(Timing(reference.Frames), Timing(decoded.Frames));
            var undecrypted = await DrmAssets.FrameMd5Async(folder, "init-0.mp4", segments[i].Uri, null);
            Assert.True(undecrypted.ExitCode != 0 || undecrypted.Frames.Length == 0, "the segment is readable without its key");
        }

        // Through the edge with the viewer's token, the playlist's key URI carries it.
        var tokenized = await Farm.Http.GetStringAsync(new Uri($"{Farm.AssetPath(job.Outputs.AssetId)}media_0.m3u8?token={token}", UriKind.Relative));
        Assert.Contains($"{uri}?token={token}", tokenized);
    }

    [Fact]
    public async Task Keys_imported_from_cpix_protect_the_asset_and_export_back()
    {
        var kid = Guid.NewGuid();
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        var vendorPssh = PsshBox.ForWidevine([kid], "cenc", "vendor-content"u8);
        var cpix = CpixDocument.Write("vendor-title-1", [new ContentKey(kid, key, ContentKey.AllTracks)], [new CpixDrmSystem(kid, DrmSystems.WidevineId, vendorPssh)]);
        var file = Path.Combine(Farm.DataDirectory, "vendor.cpix.xml");
        await File.WriteAllTextAsync(file, cpix);
        var env = FarmProcess.TestEnvironment(Farm.DataDirectory);
        var imported = await Tools.CliAsync(env, "keys", "import", file, "--allow-submitter", "drop");
        Assert.True(imported.ExitCode == 0, imported.Stderr + imported.Stdout);
        Assert.Contains("key set 'vendor-title-1'", imported.Stdout);
        Assert.DoesNotContain(Convert.ToBase64String(key), imported.Stdout + imported.Stderr);

        Directory.CreateDirectory(Farm.DropFolder);
        await File.WriteAllTextAsync(Path.Combine(Farm.DropFolder, "vendor title.json"), """{"drm": {"scheme": "cenc", "systems": ["widevine"], "keySet": "vendor-title-1"}}""");
        Farm.Drop(await TestMedia.ClipAsync(160, 120, 3), "vendor title.mp4");
        var job = await Farm.WaitForJobAsync("vendor title.mp4");
        Assert.True(job.State == Core.Jobs.JobState.Succeeded, job.Error + Farm.Output);
        var folder = Folder(job.Outputs!.AssetId);
        var init = await File.ReadAllBytesAsync(Path.Combine(folder, "init-0.mp4"));
        Assert.Equal(kid, DrmAssets.KidOf(init));
        // The vendor's PSSH is used verbatim, in the init segment and the MPD.
        Assert.True(init.AsSpan().IndexOf(vendorPssh) >= 0, "the CPIX PSSH is not in the init segment");
        Assert.Contains(Convert.ToBase64String(vendorPssh), await File.ReadAllTextAsync(Path.Combine(folder, OutputLayout.DashManifest)));
        var mpd = DashParser.Parse(await File.ReadAllTextAsync(Path.Combine(folder, OutputLayout.DashManifest)));
        var video = mpd.Representations.First(r => r.ContentType == "video");
        var decoded = await DrmAssets.FrameMd5Async(folder, video.Initialization, video.Segments[0], key);
        Assert.True(decoded.ExitCode == 0 && decoded.Frames.Split('\n').Length > 10, "the vendor key does not decrypt the asset");

        var exported = await Tools.CliAsync(env, "keys", "export", job.Outputs.AssetId);
        Assert.True(exported.ExitCode == 0, exported.Stderr);
        var back = CpixDocument.Parse(exported.Stdout);
        Assert.Equal(key, Assert.Single(back.ContentKeys).Key);
        Assert.Equal(kid, back.ContentKeys[0].KeyId);
    }

    /// <summary>Imports a one-key CPIX document as a DRM vendor would send it, with the given policy flags.</summary>
    private async Task<(Guid Kid, byte[] Key)> ImportVendorKeySetAsync(string name, params string[] policy)
    {
        var kid = Guid.NewGuid();
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        var cpix = CpixDocument.Write(name, [new ContentKey(kid, key, ContentKey.AllTracks)],
            [new CpixDrmSystem(kid, DrmSystems.WidevineId, PsshBox.ForWidevine([kid], "cenc", "vendor-content"u8))]);
        var file = Path.Combine(Farm.DataDirectory, $"{name}.cpix.xml");
        await File.WriteAllTextAsync(file, cpix);
        var imported = await Tools.CliAsync(FarmProcess.TestEnvironment(Farm.DataDirectory), ["keys", "import", file, .. policy]);
        Assert.True(imported.ExitCode == 0, imported.Stderr + imported.Stdout);
        return (kid, key);
    }

    /// <summary>A drop-folder job with a sidecar naming a key set; distinct content per name.</summary>
    private async Task<Core.Jobs.JobRecord> DropWithKeySetAsync(string name, string keySet, string systems, string scheme = "cenc")
    {
        Directory.CreateDirectory(Farm.DropFolder);
        await File.WriteAllTextAsync(Path.Combine(Farm.DropFolder, $"{name}.json"),
            "{\"drm\": {\"scheme\": \"" + scheme + "\", \"systems\": [" + systems + "], \"keySet\": \"" + keySet + "\"}}");
        Farm.Drop(await TestMedia.ClipAsync(160, 120, 2, extra: $"-metadata comment={name.Replace(' ', '-')}"), $"{name}.mp4");
        return await Farm.WaitForJobAsync($"{name}.mp4");
    }

    private async Task<HttpResponseMessage> ClearKeyLicenseAsync(string asset, string token, Guid kid) =>
        await Farm.Http.PostAsync(new Uri($"/license/clearkey/{asset}?token={token}", UriKind.Relative),
            new StringContent(DrmAssets.ClearKeyRequest(kid), Encoding.UTF8, "application/json"));

    [Fact]
    public async Task A_key_set_is_imported_only_with_a_policy_saying_who_may_use_it()
    {
        var cpix = CpixDocument.Write("no-policy", [ContentKey.Generate(ContentKey.AllTracks)], []);
        var file = Path.Combine(Farm.DataDirectory, "no-policy.cpix.xml");
        await File.WriteAllTextAsync(file, cpix);
        var env = FarmProcess.TestEnvironment(Farm.DataDirectory);
        var refused = await Tools.CliAsync(env, "keys", "import", file);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("say who may use the key set: --allow-profile P and/or --allow-submitter drop|s3|submit", refused.Stderr);
        var unknown = await Tools.CliAsync(env, "keys", "import", file, "--allow-submitter", "everyone");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("'everyone' is not one of drop, s3, submit", unknown.Stderr);
        var list = await Tools.CliAsync(env, "keys", "list");
        Assert.DoesNotContain("no-policy", list.Stdout);
    }

    [Fact]
    public async Task A_sidecar_naming_a_key_set_its_job_may_not_use_fails_the_job_with_the_reason_and_the_farm_goes_on()
    {
        var (kid, _) = await ImportVendorKeySetAsync("vendor-borrowed", "--allow-profile", "premium", "--allow-submitter", "submit");
        var job = await DropWithKeySetAsync("borrowed", "vendor-borrowed", "\"widevine\"");
        Assert.Equal(Core.Jobs.JobState.Failed, job.State);
        Assert.Equal(1, job.Attempts); // the producer's mistake: not retried
        const string reason = "key set 'vendor-borrowed' may not be used by profile 'test-tiny' (allowed: premium)";
        Assert.Contains(reason, job.Error);

        var kept = Path.Combine(Farm.DropFolder, "failed", "borrowed.mp4");
        await FarmProcess.WaitForFileAsync(kept + ".error.json");
        Assert.True(File.Exists(kept));
        using (var report = JsonDocument.Parse(await File.ReadAllTextAsync(kept + ".error.json")))
        {
            Assert.Contains(reason, report.RootElement.GetProperty("reason").GetString());
        }

        // Nothing of the key set was linked to the refused job.
        var token = await DrmAssets.TokenAsync(Farm, job.Id);
        using (var key = await Farm.Http.GetAsync(new Uri($"/keys/{job.Id}/{kid:N}?token={token}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, key.StatusCode);
        }

        // The right profile from the wrong place is refused too: the drop folder is not `submit`.
        var env = FarmProcess.TestEnvironment(Farm.DataDirectory);
        var changed = await Tools.CliAsync(env, "keys", "policy", "vendor-borrowed", "--allow-profile", "test-tiny", "--allow-submitter", "submit");
        Assert.True(changed.ExitCode == 0, changed.Stderr);
        var listed = await Tools.CliAsync(env, "keys", "list");
        Assert.Contains("vendor-borrowed  1 key(s)", listed.Stdout);
        Assert.Contains("profiles: test-tiny; submitters: submit; clear delivery: never", listed.Stdout);
        var again = await DropWithKeySetAsync("borrowed again", "vendor-borrowed", "\"widevine\"");
        Assert.Equal(Core.Jobs.JobState.Failed, again.State);
        Assert.Contains("key set 'vendor-borrowed' may not be used by jobs from the drop folder (allowed: submit)", again.Error);

        // The farm goes on: a good file dropped afterwards is encoded.
        Farm.Drop(await TestMedia.ClipAsync(160, 120, 2, extra: "-metadata comment=after-borrowed"), "after borrowed.mp4");
        var good = await Farm.WaitForJobAsync("after borrowed.mp4");
        Assert.True(good.State == Core.Jobs.JobState.Succeeded, good.Error);
    }

    [Fact]
    public async Task A_permitted_vendor_key_set_encrypts_but_the_edge_never_hands_its_key_out_in_clear()
    {
        var (kid, key) = await ImportVendorKeySetAsync("vendor-closed", "--allow-submitter", "drop");
        var job = await DropWithKeySetAsync("vendor closed", "vendor-closed", "\"widevine\"");
        Assert.True(job.State == Core.Jobs.JobState.Succeeded, job.Error + Farm.Output);
        var asset = job.Outputs!.AssetId;
        Assert.Equal(kid, DrmAssets.KidOf(await File.ReadAllBytesAsync(Path.Combine(Folder(asset), "init-0.mp4"))));
        var token = await DrmAssets.TokenAsync(Farm, asset);

        async Task AssertRefusedAsync()
        {
            using var raw = await Farm.Http.GetAsync(new Uri($"/keys/{asset}/{kid:N}?token={token}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Forbidden, raw.StatusCode);
            var body = await raw.Content.ReadAsStringAsync();
            Assert.Contains("key set 'vendor-closed' may not be delivered in clear", body);
            Assert.DoesNotContain(Convert.ToBase64String(key).TrimEnd('='), body);
            using var license = await ClearKeyLicenseAsync(asset, token, kid);
            Assert.Equal(HttpStatusCode.Forbidden, license.StatusCode);
            Assert.DoesNotContain(DrmAssets.Base64Url(key), await license.Content.ReadAsStringAsync());
        }

        await AssertRefusedAsync();

        // Defence in depth: a link that says "clear delivery" (written by an older version, or by hand) changes nothing.
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(Farm.DataDirectory, "queue.db")};Default Timeout=30"))
        {
            await db.OpenAsync();
            await using var cmd = db.CreateCommand();
            cmd.CommandText = "UPDATE asset_keys SET clear_delivery = 1 WHERE asset_id = $asset";
            cmd.Parameters.AddWithValue("$asset", asset);
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }

        await AssertRefusedAsync();
        Assert.Contains("transcodefarm_edge_key_requests_total{endpoint=\"key\",result=\"policy\"}", await Farm.MetricsAsync());

        // Asking for ClearKey with it fails the job before anything is encrypted, saying what to change.
        var clearkey = await DropWithKeySetAsync("vendor closed clearkey", "vendor-closed", "\"clearkey\", \"widevine\"");
        Assert.Equal(Core.Jobs.JobState.Failed, clearkey.State);
        Assert.Contains("key set 'vendor-closed' may not be delivered in clear, so it cannot protect a ClearKey or AES-128 asset", clearkey.Error);
    }

    [Fact]
    public async Task A_key_set_imported_with_clear_delivery_is_delivered_until_its_policy_says_otherwise()
    {
        var (kid, key) = await ImportVendorKeySetAsync("vendor-open", "--allow-submitter", "drop", "--allow-clear-delivery");
        var job = await DropWithKeySetAsync("vendor open", "vendor-open", "\"clearkey\", \"widevine\"");
        Assert.True(job.State == Core.Jobs.JobState.Succeeded, job.Error + Farm.Output);
        var asset = job.Outputs!.AssetId;
        Assert.Equal(key, await DrmAssets.KeyAsync(Farm, asset, kid));
        var token = await DrmAssets.TokenAsync(Farm, asset);
        using (var license = await ClearKeyLicenseAsync(asset, token, kid))
        {
            Assert.Equal(HttpStatusCode.OK, license.StatusCode);
            Assert.Contains(DrmAssets.Base64Url(key), await license.Content.ReadAsStringAsync());
        }

        // The policy is read at every request: turning clear delivery off stops it at once, with no re-encode.
        var changed = await Tools.CliAsync(FarmProcess.TestEnvironment(Farm.DataDirectory), "keys", "policy", "vendor-open", "--allow-submitter", "drop");
        Assert.True(changed.ExitCode == 0, changed.Stderr);
        using var refused = await Farm.Http.GetAsync(new Uri($"/keys/{asset}/{kid:N}?token={token}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        // The refusal is logged with the KID (the farm's log reaches the test a moment after the response)...
        await Farm.WaitForOutputAsync($"Clear delivery of key {kid}");
        foreach (var form in new[] { Convert.ToHexStringLower(key), Convert.ToHexString(key), Convert.ToBase64String(key).TrimEnd('='), DrmAssets.Base64Url(key) })
        {
            Assert.DoesNotContain(form, Farm.Output, StringComparison.Ordinal); // ...never the key
        }
    }
}
