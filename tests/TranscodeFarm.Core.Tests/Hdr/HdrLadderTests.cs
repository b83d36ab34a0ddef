using System.Xml.Linq;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Manifests;
using TranscodeFarm.Core.Planning;
using TranscodeFarm.Core.Profiles;
using TranscodeFarm.Core.Tests.Packaging;

namespace TranscodeFarm.Core.Tests.Hdr;

/// <summary>Decision 028 in the pure parts: which rungs an HDR source gets, the exact ffmpeg arguments, the manifests.</summary>
public class HdrLadderTests
{
    private const string ToneMap = "zscale=tin=smpte2084:pin=bt2020:min=bt2020nc:t=linear:npl=100,format=gbrpf32le,"
        + "zscale=p=bt709,tonemap=tonemap=hable:desat=0:peak=10,zscale=t=bt709:m=bt709:r=tv,format=yuv420p";

    private static readonly SourceColour Hdr10 = new("smpte2084", "bt2020", "bt2020nc", 10,
        new MasteringDisplay(34000, 16000, 13250, 34500, 7500, 3000, 15635, 16450, 10_000_000, 1), new ContentLightLevel(1000, 400));

    private static readonly SourceColour Hlg = new("arib-std-b67", "bt2020", "bt2020nc", 10);

    private static LadderProfile Profile(bool withSdr = true) => TestProfiles.Ladder(withSdr ? [720, 360] : []) with
    {
        Video =
        [
            .. withSdr ? TestProfiles.Ladder(720, 360).Video : [],
            new VideoRendition { Name = "hdr-720p", Height = 720, BitrateKbps = 2500, Codec = "libx265", Preset = "fast", DynamicRange = VideoRendition.Hdr },
        ],
    };

    private static PlanResult Plan(SourceColour? colour, LadderProfile? profile = null) =>
        LadderPlanner.Plan(profile ?? Profile(), new SourceInfo("mov", 10, new VideoSourceInfo("hevc", 1280, 720, 30) { Colour = colour }, null));

    [Fact]
    public void Hdr_source_gets_tone_mapped_sdr_rungs_then_main10_hdr_rungs_in_its_own_transfer()
    {
        var plan = Plan(Hdr10).Plan!;
        Assert.Equal([("720p", DynamicRange.Sdr), ("360p", DynamicRange.Sdr), ("hdr-720p", DynamicRange.Pq)], plan.Video.Select(v => (v.Name, v.Range)));
        Assert.Equal("main10", plan.Video[2].Profile);
        Assert.Same(Hdr10, plan.HdrSource);
        Assert.Equal(DynamicRange.Hlg, Plan(Hlg).Plan!.Video[2].Range);
    }

    [Fact]
    public void Sdr_source_leaves_hdr_rungs_out_and_an_hdr_only_profile_says_why_it_cannot_plan()
    {
        var plan = Plan(new SourceColour("bt709", "bt709", "bt709", 8)).Plan!;
        Assert.Equal(["720p", "360p"], plan.Video.Select(v => v.Name));
        Assert.Null(plan.HdrSource);
        Assert.All(plan.Video, v => Assert.Equal(DynamicRange.Sdr, v.Range));

        var refused = Plan(null, Profile(withSdr: false));
        Assert.Equal("profile 't' has only HDR renditions (dynamicRange \"hdr\") and the source is SDR", refused.Error);
        var p3 = Plan(Hdr10 with { Primaries = "smpte432" }, Profile(withSdr: false));
        Assert.Contains("smpte432/bt2020nc, which HDR renditions do not convert (BT.2020 only)", p3.Error);
        Assert.Equal(["720p", "360p"], Plan(Hdr10 with { Primaries = "smpte432" }).Plan!.Video.Select(v => v.Name)); // tone-mapped only
    }

    [Fact]
    public void Tone_map_runs_once_before_the_sdr_split_and_hdr_rungs_take_the_frames_as_they_are()
    {
        var plan = Plan(Hdr10).Plan!;
        Assert.Equal(
            "[0:v:0]split=2[sdrsrc][hdrsrc];[sdrsrc]" + ToneMap + ",split=2[s0][s1];[hdrsrc]split=1[s2]"
            + ";[s0]scale=1280:720:flags=bicubic,setdar=16/9[v0];[s1]scale=640:360:flags=bicubic,setdar=16/9[v1];[s2]scale=1280:720:flags=bicubic,setdar=16/9[v2]",
            EncodeArgumentBuilder.BuildFilterGraph(plan));
        var sdrOnly = Plan(Hdr10, TestProfiles.Ladder(720, 360)).Plan!;
        Assert.Equal("[0:v:0]" + ToneMap + ",split=2[s0][s1];[s0]scale=1280:720:flags=bicubic,setdar=16/9[v0];[s1]scale=640:360:flags=bicubic,setdar=16/9[v1]",
            EncodeArgumentBuilder.BuildFilterGraph(sdrOnly));
        var hdrOnly = Plan(Hlg, Profile(withSdr: false)).Plan!;
        Assert.Equal("[0:v:0]split=1[s0];[s0]scale=1280:720:flags=bicubic,setdar=16/9[v0]", EncodeArgumentBuilder.BuildFilterGraph(hdrOnly));
    }

    [Fact]
    public void Sdr_rungs_are_tagged_bt709_and_hdr_rungs_are_hvc1_main10_with_the_hdr10_metadata()
    {
        var args = EncodeArgumentBuilder.Build(Plan(Hdr10).Plan!, "/in/hdr.mkv");
        Assert.Equal(["-profile:v:0", "main", "-color_primaries:v:0", "bt709", "-color_trc:v:0", "bt709", "-colorspace:v:0", "bt709", "-color_range:v:0", "tv", "-map", "[v1]"],
            After(args, "-profile:v:0", 12));
        Assert.Equal(
        [
            "-c:v:2", "libx265", "-b:v:2", "2500k", "-maxrate:v:2", "2750k", "-bufsize:v:2", "5500k", "-preset:v:2", "fast", "-profile:v:2", "main10",
            "-tag:v:2", "hvc1", "-color_primaries:v:2", "bt2020", "-color_trc:v:2", "smpte2084", "-colorspace:v:2", "bt2020nc", "-color_range:v:2", "tv",
            "-x265-params:v:2", "log-level=error:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc:range=limited:hdr10=1:hdr10-opt=1"
                + ":master-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,1):max-cll=1000,400",
        ], After(args, "-c:v:2", 24));
        // Never 8-bit HDR: the HDR rung's 10-bit format comes after the ladder-wide yuv420p, which ffmpeg would otherwise apply.
        Assert.True(args.ToList().IndexOf("-pix_fmt:v:2") > args.ToList().IndexOf("-pix_fmt"));
        Assert.Equal("yuv420p10le", After(args, "-pix_fmt:v:2", 2)[1]);
        Assert.DoesNotContain("-pix_fmt:v:0", args);
    }

    [Fact]
    public void Hlg_rungs_carry_the_hlg_transfer_and_no_hdr10_sei()
    {
        var args = EncodeArgumentBuilder.Build(Plan(Hlg).Plan!, "/in/hlg.mov");
        Assert.Equal(["-color_trc:v:2", "arib-std-b67"], After(args, "-color_trc:v:2", 2));
        Assert.Equal("log-level=error:colorprim=bt2020:transfer=arib-std-b67:colormatrix=bt2020nc:range=limited", After(args, "-x265-params:v:2", 2)[1]);
        Assert.Contains("zscale=tin=arib-std-b67:pin=bt2020:min=bt2020nc:t=linear:npl=100", args.Single(a => a.StartsWith("[0:v:0]", StringComparison.Ordinal)));
    }

    [Fact]
    public void Sdr_source_arguments_are_unchanged()
    {
        var plan = LadderPlanner.Plan(TestProfiles.Ladder(720, 360), new SourceInfo("mov", 10, new VideoSourceInfo("h264", 1280, 720, 30), null)).Plan!;
        var args = EncodeArgumentBuilder.Build(plan, "/in/sdr.mp4");
        Assert.DoesNotContain(args, a => a.Contains("zscale", StringComparison.Ordinal) || a.StartsWith("-color", StringComparison.Ordinal) || a.StartsWith("-x265", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, null, 1000)] // no metadata: BT.2100's nominal 1000 cd/m²
    [InlineData(4000, null, 4000)] // MaxCLL wins
    [InlineData(null, 40_000_000L, 4000)] // else the mastering display's peak
    [InlineData(50, null, 100)] // never below SDR white
    public void Tone_map_peak_comes_from_the_source_metadata(int? maxCll, long? masteringMax, int expectedNits)
    {
        var colour = new SourceColour("smpte2084", "bt2020", "bt2020nc", 10,
            masteringMax is { } max ? new MasteringDisplay(0, 0, 0, 0, 0, 0, 0, 0, max, 0) : null,
            maxCll is { } cll ? new ContentLightLevel(cll, 100) : null);
        Assert.Equal(expectedNits, HdrArguments.PeakNits(colour));
        Assert.Contains($"peak={expectedNits / 100.0:0.##}", HdrArguments.ToneMapToBt709(colour), StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_and_gate_see_an_hdr_source_through_the_same_tone_map()
    {
        var plan = Plan(Hdr10).Plan!;
        Assert.EndsWith(";[fpsrc]fps=2:round=up," + ToneMap + ",scale=64:64:flags=area,format=gray[fp]", EncodeArgumentBuilder.BuildFilterGraph(plan, withFingerprint: true), StringComparison.Ordinal);
        Assert.Equal("fps=2:round=up," + ToneMap + ",scale=64:64:flags=area,format=gray", After(FingerprintArguments.Build("/in/hdr.mkv", true, null, Hdr10), "-vf", 2)[1]);
        Assert.Equal(ToneMap + ",scale=64:64:flags=area,format=gray", new GateTrack("hdr-720p", 2, "/w/g", Hdr10).Filter);
        Assert.Equal("scale=64:64:flags=area,format=gray", new GateTrack("720p", 0, "/w/g").Filter);
    }

    [Theory]
    [InlineData("""{ "name": "x", "height": 720, "bitrateKbps": 900, "dynamicRange": "hdr10" }""", "video[0].dynamicRange 'hdr10' must be \"sdr\" or \"hdr\"")]
    [InlineData("""{ "name": "x", "height": 720, "bitrateKbps": 900, "dynamicRange": "hdr" }""", "video[0].codec 'libx264' cannot make an HDR rendition (dynamicRange \"hdr\" needs libx265)")]
    [InlineData("""{ "name": "x", "height": 720, "bitrateKbps": 900, "dynamicRange": "hdr", "codec": "libx265", "profile": "main" }""", "video[0].profile 'main' cannot carry HDR (dynamicRange \"hdr\" needs main10, or leave profile out)")]
    public void Profile_validation_names_the_bad_field(string rung, string expected)
    {
        var result = ProfileParser.Parse($$"""{ "name": "p", "video": [ {{rung}} ] }""", "p.json");
        Assert.Equal(["p.json: " + expected], result.Errors);
    }

    [Fact]
    public void Default_profile_gives_an_hdr_source_a_tone_mapped_h264_ladder_only()
    {
        var profile = ProfileParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ffmpeg-profiles", "h264-cmaf.json")), "h264-cmaf.json").Profile!;
        var plan = Plan(Hdr10, profile).Plan!;
        Assert.Equal(["libx264"], plan.Video.Select(v => v.Codec).Distinct());
        Assert.All(plan.Video, v => Assert.Equal(DynamicRange.Sdr, v.Range));
        Assert.StartsWith("[0:v:0]" + ToneMap + ",split=4[s0][s1][s2][s3];", EncodeArgumentBuilder.BuildFilterGraph(plan), StringComparison.Ordinal);
    }

    [Fact]
    public void Shipped_hdr_profile_is_valid_and_has_both_ladders()
    {
        var result = ProfileParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ffmpeg-profiles", "hevc-hdr10-cmaf.json")), "hevc-hdr10-cmaf.json");
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(3, result.Profile!.Video.Count(v => v.IsHdr));
        Assert.Equal(3, result.Profile!.Video.Count(v => !v.IsHdr));
    }

    [Fact]
    public async Task Hls_says_the_range_of_every_variant_and_dash_puts_hdr_in_its_own_set_with_cicp_properties()
    {
        var packaged = await PackagingFixture.PackageAsync(PackagingFixture.Input, new PackagerOptions(1) { TrackNames = ["96p", "aac"], TrackRanges = [DynamicRange.Pq] });
        var pq = packaged.Tracks[0];
        Assert.Equal(DynamicRange.Pq, pq.Range);
        var sdr = new PackagedTrack("2", "sdr", pq.Info, null);
        sdr.Segments.AddRange(pq.Segments);
        var hlg = new PackagedTrack("3", "hlg", pq.Info, null) { Range = DynamicRange.Hlg };
        hlg.Segments.AddRange(pq.Segments);
        List<PackagedTrack> tracks = [pq, packaged.Tracks[1], sdr, hlg];

        var master = HlsParser.ParseMaster(HlsWriter.Master(tracks));
        Assert.Equal(["PQ", "SDR", "HLG"], master.Variants.OrderBy(v => v.Uri).Select(v => v.Attributes["VIDEO-RANGE"]));

        XNamespace ns = "urn:mpeg:dash:schema:mpd:2011";
        var sets = XDocument.Parse(DashWriter.Write(tracks, "t")).Descendants(ns + "AdaptationSet").Where(s => (string?)s.Attribute("contentType") == "video").ToList();
        Assert.Equal(3, sets.Count);
        string Properties(XElement set) => string.Join(" ", set.Elements().Where(e => e.Name.LocalName.EndsWith("Property", StringComparison.Ordinal))
            .Select(e => $"{e.Name.LocalName}:{((string)e.Attribute("schemeIdUri")!)["urn:mpeg:mpegB:cicp:".Length..]}={(string)e.Attribute("value")!}"));
        Assert.Equal(
        [
            "",
            "EssentialProperty:TransferCharacteristics=16 SupplementalProperty:ColourPrimaries=9 SupplementalProperty:MatrixCoefficients=9",
            "EssentialProperty:TransferCharacteristics=18 SupplementalProperty:ColourPrimaries=9 SupplementalProperty:MatrixCoefficients=9",
        ], sets.Select(Properties));
        Assert.Equal(["2", "0", "3"], sets.Select(s => (string)s.Element(ns + "Representation")!.Attribute("id")!));
    }

    [Fact]
    public void Hevc_main10_codec_string_follows_rfc_6381()
    {
        // hvcC as x265 writes it for Main 10, level 3.0: profile_idc 2, compatibility flag 2 (bit-reversed: 4), progressive/frame-only constraints.
        byte[] hvcC = [1, 0x02, 0x20, 0x00, 0x00, 0x00, 0xB0, 0, 0, 0, 0, 0, 90, 0xF0, 0, 0xFC, 0xFD, 0xFA, 0xFA, 0, 0, 0x0F, 0];
        var entry = new Mp4Box(FourCc.Hvc1, new byte[78], [new Mp4Box(FourCc.HvcC, hvcC)]);
        Assert.Equal("hvc1.2.4.L90.B0", MoovReader.CodecString(entry));
    }

    private static string[] After(IReadOnlyList<string> args, string first, int count)
    {
        var at = args.ToList().IndexOf(first);
        Assert.True(at >= 0, $"{first} is not in the arguments");
        return [.. args.Skip(at).Take(count)];
    }
}
