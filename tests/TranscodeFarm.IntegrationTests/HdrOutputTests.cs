using System.Collections.Concurrent;
using System.Xml.Linq;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// HDR sources through a real farm (decision 028): an HDR10 (PQ) and an HLG test pattern, 2 s at 320x180 with three flat
/// grey patches over testsrc2, on the shipped hevc-hdr10-cmaf profile (HDR and SDR ladders) and on the default profile (SDR
/// only). Every rung's colour is read back with ffprobe, the manifests must say the range, and the SDR rung's patches must
/// match a reference zscale + tonemap conversion of the source, made here with ffmpeg's usual recipe.
/// </summary>
[Collection(SharedFarmCollection.Name)]
public sealed class HdrOutputTests(SharedFarm shared)
{
    /// <summary>Dark grey, light grey and white patches (SDR levels before the conversion to HDR), 40x40 at y=8.</summary>
    private static readonly int[] PatchX = [8, 56, 104];

    /// <summary>
    /// The reference: the common zscale + tonemap recipe, left to read the transfer, primaries and peak from the frames as
    /// ffmpeg does (the farm names them explicitly instead).
    /// </summary>
    private const string ReferenceToneMap =
        "zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,format=yuv420p";

    private static readonly string Scratch = Directory.CreateTempSubdirectory("transcodefarm-hdr-").FullName;
    private static readonly ConcurrentDictionary<string, Lazy<Task<JobRecord>>> Jobs = new();
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Joined = new();
    private static readonly Lazy<Task<string>> Pq = new(() => MakeSourceAsync("smpte2084"));
    private static readonly Lazy<Task<string>> Hlg = new(() => MakeSourceAsync("arib-std-b67"));

    private FarmProcess Farm => shared.Farm;

    [Theory]
    [InlineData("pq", "smpte2084", "PQ")]
    [InlineData("hlg", "arib-std-b67", "HLG")]
    public async Task Hdr_profile_gives_an_hdr_main10_rung_and_a_tone_mapped_sdr_rung(string kind, string transfer, string range)
    {
        var job = await JobAsync(kind, "hevc-hdr10-cmaf");
        var folder = AssetFolder(job);
        var master = HlsParser.ParseMaster(await File.ReadAllTextAsync(Path.Combine(folder, OutputLayout.HlsMaster)));
        Assert.Equal(2, master.Variants.Count);
        var hdr = Assert.Single(master.Variants, v => v.Codecs!.StartsWith("hvc1.2.4.L", StringComparison.Ordinal)); // HEVC Main 10
        var sdr = Assert.Single(master.Variants, v => v.Codecs!.StartsWith("avc1.", StringComparison.Ordinal));
        Assert.Equal(range, hdr.Attributes["VIDEO-RANGE"]);
        Assert.Equal("SDR", sdr.Attributes["VIDEO-RANGE"]);

        var hdrStream = await ColourAsync(folder, hdr.Uri);
        Assert.Equal(("hevc", "hvc1", "Main 10", "yuv420p10le", transfer, "bt2020", "bt2020nc"),
            (hdrStream["codec_name"], hdrStream["codec_tag_string"], hdrStream["profile"], hdrStream["pix_fmt"], hdrStream["color_transfer"], hdrStream["color_primaries"], hdrStream["color_space"]));
        var sideData = await FirstFrameSideDataAsync(folder, hdr.Uri);
        if (kind == "pq")
        {
            // The source's HDR10 static metadata, passed to x265 from the probe.
            Assert.Contains("max_luminance=10000000/10000", sideData);
            Assert.Contains("green_x=13250/50000", sideData);
            Assert.Contains("max_content=1000", sideData);
            Assert.Contains("max_average=400", sideData);
        }
        else
        {
            Assert.DoesNotContain("Mastering display", sideData);
        }

        var source = kind == "pq" ? await Pq.Value : await Hlg.Value;
        await AssertSdrAsync(folder, sdr.Uri, source);
        Assert.Equal(["SDR (tone-mapped from " + (kind == "pq" ? "HDR10" : "HLG") + ")", $"{range} ({(kind == "pq" ? "HDR10" : "HLG")} kept)"],
            job.Outputs!.Renditions.Where(r => r.Kind == "video").Select(r => r.Colour));

        // DASH: the HDR representation in its own set, saying its transfer; the SDR set says nothing.
        XNamespace ns = "urn:mpeg:dash:schema:mpd:2011";
        var sets = XDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, OutputLayout.DashManifest))).Descendants(ns + "AdaptationSet").ToList();
        var hdrSet = Assert.Single(sets, s => s.Descendants(ns + "Representation").Any(r => ((string)r.Attribute("codecs")!).StartsWith("hvc1", StringComparison.Ordinal)));
        var essential = Assert.Single(hdrSet.Elements(ns + "EssentialProperty"));
        Assert.Equal(("urn:mpeg:mpegB:cicp:TransferCharacteristics", kind == "pq" ? "16" : "18"), ((string)essential.Attribute("schemeIdUri")!, (string)essential.Attribute("value")!));
        Assert.Equal(["ColourPrimaries=9", "MatrixCoefficients=9"],
            hdrSet.Elements(ns + "SupplementalProperty").Select(p => $"{((string)p.Attribute("schemeIdUri")!).Split(':')[^1]}={(string)p.Attribute("value")!}"));
        Assert.All(sets.Where(s => s != hdrSet), s => Assert.DoesNotContain(s.Elements(), e => e.Name.LocalName.EndsWith("Property", StringComparison.Ordinal)));

        // The HDR rung kept the source's code values: its patches are the source's, not the tone-mapped ones.
        var kept = await PatchLumaAsync(await JoinAsync(folder, hdr.Uri), null);
        var original = await PatchLumaAsync(source, null);
        for (var i = 0; i < PatchX.Length; i++)
        {
            Assert.True(Math.Abs(kept[i] - original[i]) <= 3, $"HDR rung patch {i}: {kept[i]:0.0}, source {original[i]:0.0}");
        }
    }

    [Fact]
    public async Task Default_profile_gives_an_hdr10_source_only_tone_mapped_bt709_rungs_whose_patches_match_the_reference()
    {
        var job = await JobAsync("pq", null);
        var folder = AssetFolder(job);
        var master = HlsParser.ParseMaster(await File.ReadAllTextAsync(Path.Combine(folder, OutputLayout.HlsMaster)));
        Assert.Equal(2, master.Variants.Count); // test-tiny: 240p (at the source's 180 lines) and 144p
        foreach (var variant in master.Variants)
        {
            Assert.Equal("SDR", variant.Attributes["VIDEO-RANGE"]);
            var stream = await ColourAsync(folder, variant.Uri);
            Assert.Equal(("h264", "yuv420p", "bt709", "bt709", "bt709"),
                (stream["codec_name"], stream["pix_fmt"], stream["color_transfer"], stream["color_primaries"], stream["color_space"]));
        }

        var full = Assert.Single(master.Variants, v => v.Resolution == "320x180");
        await AssertSdrAsync(folder, full.Uri, await Pq.Value);
    }

    /// <summary>
    /// The HDR10 asset with both ladders plays in headless Chromium (no HEVC decoder there): the players leave the hvc1/PQ
    /// variant out and play the tone-mapped H.264 one, from HLS (VIDEO-RANGE, CODECS) and DASH (its own adaptation set).
    /// </summary>
    [Theory]
    [InlineData(OutputLayout.HlsMaster, "hlsjs")]
    [InlineData(OutputLayout.DashManifest, "shaka")]
    public async Task Chromium_plays_the_sdr_ladder_of_an_hdr_asset(string manifest, string player)
    {
        var job = await JobAsync("pq", "hevc-hdr10-cmaf");
        var result = await BrowserPlaybackTests.PlayAsync(
            ["--url", $"{Farm.BaseUrl}/vod/{job.Outputs!.AssetId}/{manifest}", "--player", player, "--seconds", "1.5", "--timeout", "40"]);
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.True(result.GetProperty("decodedFrames").GetInt32() > 10, result.ToString());
    }

    /// <summary>8-bit BT.709 throughout, and each patch within 3 codes of the reference conversion of the source.</summary>
    private static async Task AssertSdrAsync(string folder, string playlist, string source)
    {
        var stream = await ColourAsync(folder, playlist);
        Assert.Equal(("yuv420p", "bt709", "bt709", "bt709"), (stream["pix_fmt"], stream["color_transfer"], stream["color_primaries"], stream["color_space"]));
        var got = await PatchLumaAsync(await JoinAsync(folder, playlist), null);
        var reference = await PatchLumaAsync(source, ReferenceToneMap);
        var untouched = await PatchLumaAsync(source, null);
        for (var i = 0; i < PatchX.Length; i++)
        {
            Assert.True(Math.Abs(got[i] - reference[i]) <= 3, $"SDR rung patch {i}: {got[i]:0.0}, reference {reference[i]:0.0} (HDR code values {untouched[i]:0.0})");
        }

        if (source == await Pq.Value)
        {
            // Not a check that cannot fail: PQ code values are far from the tone-mapped ones (measured 166 and 192 against
            // 220 and 252 for the grey and white patches). HLG is made to look right on SDR screens: its values are within a
            // few codes of the tone-mapped ones, so for HLG the tags above are what tell a tone-mapped rung.
            Assert.True(reference[1] - untouched[1] > 20 && reference[2] - untouched[2] > 20, $"PQ patches {string.Join('/', untouched)}, reference {string.Join('/', reference)}");
        }
    }

    /// <summary>The three jobs are dropped together on first use, so the farm's two slots encode them while the tests check.</summary>
    private Task<JobRecord> JobAsync(string kind, string? profile)
    {
        foreach (var (k, p) in new[] { ("pq", "hevc-hdr10-cmaf"), ("hlg", "hevc-hdr10-cmaf"), ("pq", (string?)null) })
        {
            _ = StartJob(k, p);
        }

        return StartJob(kind, profile);
    }

    private Task<JobRecord> StartJob(string kind, string? profile) =>
        Jobs.GetOrAdd($"{kind}-{profile ?? "default"}", name => new Lazy<Task<JobRecord>>(async () =>
        {
            var source = kind == "pq" ? await Pq.Value : await Hlg.Value;
            var file = $"hdr {name}.mp4";
            if (profile is not null)
            {
                await File.WriteAllTextAsync(Path.Combine(Farm.DropFolder, $"hdr {name}.json"), $$"""{"profile": "{{profile}}"}""");
            }

            Farm.Drop(source, file);
            var job = await Farm.WaitForJobAsync(file, TimeSpan.FromMinutes(2));
            Assert.True(job.State == JobState.Succeeded, $"{file}: {job.Error}\n{Farm.Output}");
            return job;
        })).Value;

    private string AssetFolder(JobRecord job) => Path.Combine(Farm.StoreFolder, job.Outputs!.ObjectPrefix);

    /// <summary>
    /// testsrc2 with three flat patches, converted from BT.709 to BT.2100 (SDR white at 1000 cd/m²), x265 Main 10 with the
    /// colour tags in the VUI and, for PQ, HDR10 static metadata: what a mastering tool hands a platform, in 2 s at 320x180.
    /// </summary>
    private static async Task<string> MakeSourceAsync(string transfer)
    {
        var path = Path.Combine(Scratch, transfer + ".mp4");
        var patches = string.Join(',', PatchX.Zip(["0x404040", "0xB0B0B0", "white"], (x, c) => $"drawbox=x={x}:y=8:w=40:h=40:color={c}:t=fill"));
        var x265 = $"log-level=error:colorprim=bt2020:transfer={transfer}:colormatrix=bt2020nc"
            + (transfer == "smpte2084" ? ":hdr10=1:master-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,1):max-cll=1000,400" : "");
        await Tools.CheckedFfmpegAsync(
            "-f", "lavfi", "-i", $"testsrc2=s=320x180:r=30:d=2,{patches}",
            "-vf", $"zscale=tin=bt709:pin=bt709:min=bt709:t={transfer}:p=bt2020:m=bt2020nc:npl=1000,format=yuv420p10le",
            "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", x265,
            "-color_primaries", "bt2020", "-color_trc", transfer, "-colorspace", "bt2020nc", "-tag:v", "hvc1", path);
        return path;
    }

    /// <summary>A rendition's init segment and all its media segments, one after the other: a playable fragmented MP4.</summary>
    private static Task<string> JoinAsync(string folder, string playlist) =>
        Joined.GetOrAdd(Path.Combine(folder, playlist), _ => new Lazy<Task<string>>(() => JoinOnceAsync(folder, playlist))).Value;

    private static async Task<string> JoinOnceAsync(string folder, string playlist)
    {
        var media = HlsParser.ParseMedia(await File.ReadAllTextAsync(Path.Combine(folder, playlist)));
        var joined = Path.Combine(Scratch, $"joined-{Path.GetFileNameWithoutExtension(playlist)}-{Guid.NewGuid():N}.mp4");
        await using var output = File.Create(joined);
        foreach (var part in media.Segments.Select(s => s.Uri).Prepend(media.MapUri!))
        {
            await using var input = File.OpenRead(Path.Combine(folder, part));
            await input.CopyToAsync(output);
        }

        return joined;
    }

    private static async Task<Dictionary<string, string>> ColourAsync(string folder, string playlist)
    {
        var r = await Tools.FfprobeAsync("-select_streams", "v:0", "-show_entries",
            "stream=codec_name,codec_tag_string,profile,pix_fmt,color_transfer,color_primaries,color_space", "-of", "default=nw=1", await JoinAsync(folder, playlist));
        Assert.True(r.ExitCode == 0, r.Stderr);
        return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1].Trim());
    }

    private static async Task<string> FirstFrameSideDataAsync(string folder, string playlist)
    {
        var r = await Tools.FfprobeAsync("-select_streams", "v:0", "-read_intervals", "%+#1", "-show_frames", "-show_entries", "frame=side_data_list",
            "-of", "default=nw=1", await JoinAsync(folder, playlist));
        Assert.True(r.ExitCode == 0, r.Stderr);
        return r.Stdout;
    }

    /// <summary>Mean luma (8-bit codes) of the middle 24x24 of each patch in the first frame, after <paramref name="filter"/>.</summary>
    private static async Task<double[]> PatchLumaAsync(string file, string? filter)
    {
        const int StripWidth = 152, Rows = 24;
        var raw = Path.Combine(Scratch, $"patches-{Guid.NewGuid():N}.gray");
        var crop = $"crop={StripWidth}:{Rows}:0:16,format=gray";
        await Tools.CheckedFfmpegAsync("-i", file, "-frames:v", "1", "-vf", filter is null ? crop : $"{filter},{crop}", "-f", "rawvideo", raw);
        var strip = await File.ReadAllBytesAsync(raw);
        File.Delete(raw);
        Assert.Equal(StripWidth * Rows, strip.Length);
        return [.. PatchX.Select(x => Enumerable.Range(0, Rows).SelectMany(row => strip.Skip(row * StripWidth + x + 8).Take(24)).Average(b => (double)b))];
    }
}
