using System.Xml.Linq;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Manifests;
using TranscodeFarm.Core.Planning;
using TranscodeFarm.Core.Subtitles;

namespace TranscodeFarm.Core.Tests.Subtitles;

public sealed class ClosedCaptionTests
{
    [Fact]
    public void The_first_frame_probe_sees_a53_captions_and_an_hdr_frame_has_none()
    {
        Assert.True(ColourProbe.Parse(Fixture("ffprobe51-colour-a53cc.json"))!.ClosedCaptions);
        Assert.False(ColourProbe.Parse(Fixture("ffprobe51-colour-hdr10.json"))!.ClosedCaptions);
    }

    [Fact]
    public void Only_libx264_renditions_of_a_captioned_source_are_said_to_carry_them()
    {
        var plan = new EncodePlan("p",
            [Video("720p", "libx264"), Video("2160p-hdr", "libx265")], [], SegmentSeconds: 2, GopSeconds: 2, OutputFrameRate: null, SourceDurationSeconds: 4);
        var captioned = new SourceInfo("mov,mp4", 4, new VideoSourceInfo("h264", 1280, 720, 30) { Colour = new SourceColour(null, null, null, 8) { ClosedCaptions = true } }, null);
        Assert.Equal(["720p"], ClosedCaptions.Renditions(captioned, plan));
        Assert.Empty(ClosedCaptions.Renditions(captioned with { Video = captioned.Video! with { Colour = null } }, plan));
    }

    [Fact]
    public void Hls_names_the_group_on_captioned_variants_and_none_on_the_others_and_dash_adds_accessibility()
    {
        var a = SubtitlePackagingTests.Track("0", TrackKind.Video);
        var b = SubtitlePackagingTests.Track("1", TrackKind.Video);
        var master = HlsParser.ParseMaster(HlsWriter.Master([a, b], null, null, new HashSet<string> { a.Name }));
        var cc = Assert.Single(master.Media, m => m.Type == "CLOSED-CAPTIONS");
        Assert.Equal("CC1", cc.Attributes["INSTREAM-ID"]);
        Assert.Null(cc.Uri);
        Assert.Equal(["cc", "NONE"], master.Variants.OrderBy(v => v.Uri).Select(v => v.Attributes["CLOSED-CAPTIONS"]));

        XNamespace ns = "urn:mpeg:dash:schema:mpd:2011";
        var set = XDocument.Parse(DashWriter.Write([a], "t", null, new HashSet<string> { a.Name })).Descendants(ns + "AdaptationSet").Single();
        var accessibility = set.Element(ns + "Accessibility")!;
        Assert.Equal(("urn:scte:dash:cc:cea-608:2015", "CC1"), ((string?)accessibility.Attribute("schemeIdUri"), (string?)accessibility.Attribute("value")));
        Assert.Equal("Representation", accessibility.ElementsAfterSelf().First().Name.LocalName);
        Assert.DoesNotContain("CLOSED-CAPTIONS", HlsWriter.Master([a]), StringComparison.Ordinal);
    }

    private static PlannedVideo Video(string name, string codec) =>
        new(name, 1280, 720, 3000, 3000, 6000, codec, "veryfast", "high", "4.0");

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
