using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// Several audio languages through a real farm (decision 029): a 6 s source with English stereo, French stereo, an
/// English 5.1 mix and an English audio description, each a different "voice" melody so the quality gate holds every
/// rendition against its own source track; a sidecar makes French the default and names it. ffprobe reads each
/// rendition's language and channels from its own init segment; both manifests are parsed for groups and attributes.
/// </summary>
[Collection(SharedFarmCollection.Name)]
public sealed class AudioTracksTests(SharedFarm shared)
{
    private const string SourceName = "four voices.mkv";
    private static Task<JobRecord>? _job;
    private FarmProcess Farm => shared.Farm;

    internal static Task<JobRecord> JobAsync(FarmProcess farm) => _job ??= DropAsync(farm, SourceName, "");

    /// <summary>The same source, ClearKey cenc: every audio track must be encrypted and still switch in a player.</summary>
    private static Task<JobRecord> EncryptedJobAsync(FarmProcess farm) =>
        _encryptedJob ??= DropAsync(farm, "four voices cenc.mkv", """, "drm": { "scheme": "cenc", "systems": ["clearkey"] }""");

    private static Task<JobRecord>? _encryptedJob;
    private static Task<string>? _source;

    /// <summary>6 s: the gate compares audio only over enough overlap (shorter clips pass its audio check unchecked).</summary>
    private static Task<string> SourceAsync() => _source ??= MakeSourceAsync();

    private static async Task<string> MakeSourceAsync()
    {
        var source = Path.Combine(Directory.CreateTempSubdirectory("tf-audio-").FullName, SourceName);
        static string Voice(double v, string layout) => string.Create(CultureInfo.InvariantCulture,
            $"aevalsrc=0.4*sin(2*PI*(300+250*abs(sin(floor(t*3)*{v})))*t):s=48000:c={layout}:d=6");
        string[] voices = [Voice(1.3, "stereo"), Voice(2.7, "stereo"), Voice(4.1, "5.1"), Voice(5.3, "stereo")];
        List<string> args = ["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=30:duration=6"];
        foreach (var voice in voices)
        {
            args.AddRange(["-f", "lavfi", "-i", voice]);
        }

        args.AddRange(["-map", "0:v", "-map", "1:a", "-map", "2:a", "-map", "3:a", "-map", "4:a",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
            "-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=fre", "-metadata:s:a:2", "language=eng",
            "-metadata:s:a:2", "title=English 5.1", "-metadata:s:a:3", "language=en",
            "-disposition:a:0", "default", "-disposition:a:3", "visual_impaired", source]);
        await Tools.CheckedFfmpegAsync([.. args]);
        return source;
    }

    private static async Task<JobRecord> DropAsync(FarmProcess farm, string name, string moreSidecar)
    {
        var source = await SourceAsync();
        Directory.CreateDirectory(farm.DropFolder);
        // Track 2 (French): named by the producer and made the default, over the source's English default.
        await File.WriteAllTextAsync(Path.Combine(farm.DropFolder, name + ".json"),
            """{ "profile": "test-tiny-audio", "audio": [ { "track": 2, "name": "Français", "default": true } ]""" + moreSidecar + " }");
        farm.Drop(source, name);
        return await farm.WaitForJobAsync(name);
    }

    private string Folder(JobRecord job) => Path.Combine(Farm.StoreFolder, job.Outputs!.ObjectPrefix);

    [Fact]
    public async Task Every_track_becomes_a_rendition_with_its_language_and_channels_in_its_own_init_segment()
    {
        var job = await JobAsync(Farm);
        Assert.True(job.State == JobState.Succeeded, job.Error + Farm.Output);
        var audio = job.Outputs!.Renditions.Where(r => r.Kind == "audio").Select(r => r.Name).ToList();
        Assert.Equal(["aac-stereo-fr", "aac-stereo-en", "aac-51-en", "aac-stereo-en-ad"], audio);

        var mpd = DashParser.Parse(await File.ReadAllTextAsync(Path.Combine(Folder(job), OutputLayout.DashManifest)));
        var found = new List<(string Language, string Channels)>();
        foreach (var a in mpd.Representations.Where(r => r.ContentType == "audio").OrderBy(r => int.Parse(r.Id, CultureInfo.InvariantCulture)))
        {
            var init = Path.Combine(Folder(job), a.Initialization);
            var probe = await Tools.FfprobeAsync("-show_entries", "stream=codec_name,channels:stream_tags=language", "-of", "default=nw=1", init);
            Assert.True(probe.ExitCode == 0, probe.Stderr);
            var fields = probe.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
            Assert.Equal("aac", fields["codec_name"]);
            found.Add((fields["TAG:language"], fields["channels"]));
        }

        Assert.Equal([("fra", "2"), ("eng", "2"), ("eng", "6"), ("eng", "2")], found);
    }

    [Fact]
    public async Task Hls_has_an_audio_group_per_layout_with_languages_names_default_and_audio_description()
    {
        var job = await JobAsync(Farm);
        Assert.True(job.State == JobState.Succeeded, job.Error);
        var text = await File.ReadAllTextAsync(Path.Combine(Folder(job), OutputLayout.HlsMaster));
        var master = HlsParser.ParseMaster(text);
        var media = master.Media.Where(m => m.Type == "AUDIO").Select(m => m.Attributes).ToList();
        string Row(IReadOnlyDictionary<string, string> m) => string.Join(' ', new[] { "GROUP-ID", "LANGUAGE", "NAME", "CHANNELS", "DEFAULT", "AUTOSELECT" }
            .Select(k => m.GetValueOrDefault(k)).Append(m.GetValueOrDefault("CHARACTERISTICS") ?? "-"));
        Assert.Equal([
            "audio-aac-2 fr Français 2 YES YES -",
            "audio-aac-2 en English 2 NO YES -",
            "audio-aac-2 en English (audio description) 2 NO YES public.accessibility.describes-video",
            // The 5.1 group offers every language too: French and the description by their stereo playlists.
            "audio-aac-6 fr Français 2 YES YES -",
            "audio-aac-6 en English 5.1 6 NO YES -",
            "audio-aac-6 en English (audio description) 2 NO YES public.accessibility.describes-video",
        ], media.Select(Row));

        // Every variant names a group that exists; the one video rung is offered with each layout.
        Assert.Equal(["audio-aac-2", "audio-aac-6"], master.Variants.Select(v => v.Attributes["AUDIO"]));
        Assert.All(master.Variants, v => Assert.Equal("128x96", v.Resolution));
        Assert.True(ManifestCheck.Check(Directory.EnumerateFiles(Folder(job)).Where(f => OutputLayout.IsManifest(Path.GetFileName(f)))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText)).Ok);

        // The asset's root copy leads every URI, EXT-X-MEDIA's included, into the published generation.
        var root = HlsParser.ParseMaster(await File.ReadAllTextAsync(Path.Combine(Farm.StoreFolder, job.Outputs!.AssetId, OutputLayout.HlsMaster)));
        var generation = $"g{job.Outputs.Generation}/";
        Assert.All(root.Media.Select(m => m.Uri!).Concat(root.Variants.Select(v => v.Uri)), uri => Assert.StartsWith(generation, uri));
        Assert.Equal(6, root.Media.Count);
    }

    [Fact]
    public async Task Dash_has_an_adaptation_set_per_language_and_layout_with_lang_label_role_and_channels()
    {
        var job = await JobAsync(Farm);
        Assert.True(job.State == JobState.Succeeded, job.Error);
        var mpd = XDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Folder(job), OutputLayout.DashManifest)));
        XNamespace ns = "urn:mpeg:dash:schema:mpd:2011";
        var sets = mpd.Descendants(ns + "AdaptationSet").Where(s => (string?)s.Attribute("contentType") == "audio").Select(s => string.Join(' ',
            (string?)s.Attribute("lang"),
            (string?)s.Element(ns + "Label"),
            (string?)s.Element(ns + "Role")?.Attribute("value"),
            (string?)s.Element(ns + "Accessibility")?.Attribute("value") ?? "-",
            (string?)s.Element(ns + "Representation")?.Element(ns + "AudioChannelConfiguration")?.Attribute("value"))).ToList();
        Assert.Equal([
            "fr Français main - 2",
            "en English alternate - 2",
            "en English 5.1 alternate - 6",
            "en English (audio description) description 1 2",
        ], sets);
    }

    /// <summary>Real players (tests/browser): each lists every language, starts with the sidecar's default (French), and
    /// after a switch to English keeps playing (currentTime advancing) with the audio decoder still fed.</summary>
    [Theory]
    [InlineData(OutputLayout.HlsMaster, "hlsjs")]
    [InlineData(OutputLayout.DashManifest, "shaka")]
    public async Task Players_list_every_language_and_keep_playing_after_a_switch(string manifest, string player)
    {
        var job = await JobAsync(Farm);
        Assert.True(job.State == JobState.Succeeded, job.Error);
        var result = await BrowserPlaybackTests.PlayAsync(["--url", $"{Farm.BaseUrl}/vod/{job.Outputs!.AssetId}/{manifest}", "--player", player,
            "--seconds", "1", "--timeout", "40", "--switch-audio", "en"]);
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        var languages = result.GetProperty("audioTracks").EnumerateArray().Select(t => t.GetProperty("language").GetString()).ToHashSet();
        Assert.True(languages.SetEquals(["fr", "en"]), result.ToString());
        // The audio description is listed as such: hls.js from CHARACTERISTICS, shaka from the DASH Role.
        var tracks = result.GetProperty("audioTracks").ToString();
        Assert.Contains(player == "hlsjs" ? "public.accessibility.describes-video" : "\"description\"", tracks);
        Assert.Equal("fr", result.GetProperty("audioBefore").GetProperty("language").GetString());
        Assert.Equal("en", result.GetProperty("audioAfter").GetProperty("language").GetString());
        Assert.True(result.GetProperty("currentTime").GetDouble() - result.GetProperty("switchedAt").GetDouble() >= 1, result.ToString());
        Assert.True(result.GetProperty("audioBytesAfter").GetInt64() > result.GetProperty("audioBytesAtSwitch").GetInt64(), result.ToString());
    }

    [Fact]
    public async Task Encryption_covers_every_audio_track_and_an_encrypted_asset_still_switches_language()
    {
        var job = await EncryptedJobAsync(Farm);
        Assert.True(job.State == JobState.Succeeded, job.Error + Farm.Output);
        var folder = Folder(job);
        var mpd = DashParser.Parse(await File.ReadAllTextAsync(Path.Combine(folder, OutputLayout.DashManifest)));
        var audio = mpd.Representations.Where(r => r.ContentType == "audio").ToList();
        Assert.Equal(4, audio.Count);
        foreach (var a in audio)
        {
            var init = await File.ReadAllBytesAsync(Path.Combine(folder, a.Initialization));
            Assert.True(init.AsSpan().IndexOf("enca"u8) > 0 && init.AsSpan().IndexOf("tenc"u8) > 0, $"{a.Initialization} is not signalled as encrypted");
            var segment = await File.ReadAllBytesAsync(Path.Combine(folder, a.Segments[0]));
            Assert.True(segment.AsSpan().IndexOf("senc"u8) > 0, $"{a.Segments[0]} has no sample encryption");
        }

        var asset = job.Outputs!.AssetId;
        var token = await DrmAssets.TokenAsync(Farm, asset);
        var result = await BrowserPlaybackTests.PlayAsync(["--url", $"{Farm.BaseUrl}/vod/{asset}/{OutputLayout.DashManifest}", "--player", "shaka",
            "--license-url", $"{Farm.BaseUrl}/license/clearkey/{asset}?token={token}", "--seconds", "1", "--timeout", "40", "--switch-audio", "en"]);
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.True(result.GetProperty("drm").GetBoolean(), result.ToString());
        Assert.Equal("en", result.GetProperty("audioAfter").GetProperty("language").GetString());
        Assert.True(result.GetProperty("audioBytesAfter").GetInt64() > result.GetProperty("audioBytesAtSwitch").GetInt64(), result.ToString());
    }

    /// <summary>Audio-only with two languages: HLS gets the same group, with one variant playing the default; both
    /// players list both languages and switch.</summary>
    [Theory]
    [InlineData(OutputLayout.HlsMaster, "hlsjs")]
    [InlineData(OutputLayout.DashManifest, "shaka")]
    public async Task An_audio_only_asset_with_two_languages_lists_and_switches_them(string manifest, string player)
    {
        var job = await (_audioOnlyJob ??= AudioOnlyJobAsync(Farm));
        Assert.True(job.State == JobState.Succeeded, job.Error + Farm.Output);
        var master = HlsParser.ParseMaster(await File.ReadAllTextAsync(Path.Combine(Folder(job), OutputLayout.HlsMaster)));
        Assert.Equal(["en", "fr"], master.Media.Select(m => m.Attributes["LANGUAGE"]));
        Assert.Equal("audio-aac-2", Assert.Single(master.Variants).Attributes["AUDIO"]);

        var result = await BrowserPlaybackTests.PlayAsync(["--url", $"{Farm.BaseUrl}/vod/{job.Outputs!.AssetId}/{manifest}", "--player", player,
            "--seconds", "1", "--timeout", "40", "--switch-audio", "fr"]);
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Equal("en", result.GetProperty("audioBefore").GetProperty("language").GetString());
        Assert.Equal("fr", result.GetProperty("audioAfter").GetProperty("language").GetString());
        Assert.True(result.GetProperty("audioBytesAfter").GetInt64() > result.GetProperty("audioBytesAtSwitch").GetInt64(), result.ToString());
    }

    private static Task<JobRecord>? _audioOnlyJob;

    private static async Task<JobRecord> AudioOnlyJobAsync(FarmProcess farm)
    {
        const string name = "two voices.mka";
        var source = Path.Combine(Directory.CreateTempSubdirectory("tf-audio-only-").FullName, name);
        await Tools.CheckedFfmpegAsync(
            "-f", "lavfi", "-i", "aevalsrc=0.4*sin(2*PI*(300+250*abs(sin(floor(t*3)*1.7)))*t):s=48000:c=stereo:d=6",
            "-f", "lavfi", "-i", "aevalsrc=0.4*sin(2*PI*(300+250*abs(sin(floor(t*3)*3.1)))*t):s=48000:c=stereo:d=6",
            "-map", "0:a", "-map", "1:a", "-c:a", "aac", "-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=fra", source);
        Directory.CreateDirectory(farm.DropFolder);
        await File.WriteAllTextAsync(Path.Combine(farm.DropFolder, name + ".json"), """{ "profile": "test-tiny-audio" }""");
        farm.Drop(source, name);
        return await farm.WaitForJobAsync(name);
    }
}
