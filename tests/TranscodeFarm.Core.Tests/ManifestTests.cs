using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Manifests;

namespace TranscodeFarm.Core.Tests;

public class ManifestTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    [Fact]
    public void Parses_ffmpeg_master_playlist()
    {
        var master = HlsParser.ParseMaster(Fixture("ffmpeg51-master.m3u8"));
        Assert.Equal(7, master.Version);
        Assert.Equal(2, master.Variants.Count);
        Assert.Equal("media_0.m3u8", master.Variants[0].Uri);
        Assert.Equal(899950, master.Variants[0].Bandwidth);
        Assert.Equal("avc1.42c01e,mp4a.40.2", master.Variants[0].Codecs);
        Assert.Equal("640x360", master.Variants[0].Resolution);
        Assert.Equal("media_2.m3u8", Assert.Single(master.Media).Uri);
    }

    [Fact]
    public void Parses_attribute_lists_with_quoted_commas()
    {
        var a = HlsParser.ParseAttributes("BANDWIDTH=1,CODECS=\"avc1.4d401e,mp4a.40.2\",RESOLUTION=640x360");
        Assert.Equal("avc1.4d401e,mp4a.40.2", a["CODECS"]);
        Assert.Equal("640x360", a["RESOLUTION"]);
        Assert.Equal("1", a["BANDWIDTH"]);
    }

    [Fact]
    public void Expands_dash_segment_timeline()
    {
        var mpd = DashParser.Parse(Fixture("ffmpeg51-manifest.mpd"));
        Assert.Equal(6.0, mpd.DurationSeconds);
        Assert.Equal(3, mpd.Representations.Count);
        var video = mpd.Representations[0];
        Assert.Equal(("0", "video", 640, 360), (video.Id, video.ContentType, video.Width!.Value, video.Height!.Value));
        Assert.Equal(["seg-0-00001.m4s", "seg-0-00002.m4s", "seg-0-00003.m4s"], video.Segments);
        Assert.Equal([2.0, 2.0, 2.0], video.SegmentDurations);
        var audio = mpd.Representations[2];
        Assert.Equal("audio", audio.ContentType);
        Assert.Equal(4, audio.Segments.Count); // S d=95232, then r=1 repeats, then a short tail
        Assert.Equal("seg-2-00004.m4s", audio.Segments[3]);
        Assert.Equal("init-2.m4s", audio.Initialization);
    }

    [Fact]
    public void Template_expansion_handles_width_and_time()
    {
        Assert.Equal("a-7-000012.m4s", DashParser.Expand("a-$RepresentationID$-$Number%06d$.m4s", "7", 12, 0));
        Assert.Equal("t-90000.m4s", DashParser.Expand("t-$Time$.m4s", "1", 1, 90000));
    }

    [Fact]
    public void Check_passes_a_complete_asset_and_lists_every_file()
    {
        var manifests = CompleteAsset();
        var result = ManifestCheck.Check(manifests);
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Contains("init-0.m4s", result.ReferencedFiles);
        Assert.Contains("seg-2-00004.m4s", result.ReferencedFiles);
        Assert.Contains("media_2.m3u8", result.ReferencedFiles);
    }

    [Fact]
    public void Check_reports_missing_playlists_and_short_target_duration()
    {
        var manifests = CompleteAsset();
        manifests.Remove("media_1.m3u8");
        manifests["media_0.m3u8"] = manifests["media_0.m3u8"].Replace("#EXT-X-TARGETDURATION:2", "#EXT-X-TARGETDURATION:1", StringComparison.Ordinal);
        var problems = ManifestCheck.Check(manifests).Problems;
        Assert.Contains(problems, p => p.Contains("media_1.m3u8 is referenced but missing"));
        Assert.Contains(problems, p => p.Contains("TARGETDURATION 1 is below the longest segment"));
    }

    [Fact]
    public void Check_reports_variant_without_codecs_and_invalid_mpd()
    {
        var manifests = CompleteAsset();
        manifests[OutputLayout.HlsMaster] = manifests[OutputLayout.HlsMaster].Replace("CODECS=\"avc1.42c00d,mp4a.40.2\",", "", StringComparison.Ordinal);
        manifests[OutputLayout.DashManifest] = "<MPD";
        var problems = ManifestCheck.Check(manifests).Problems;
        Assert.Contains(problems, p => p.Contains("variant media_1.m3u8 has no CODECS"));
        Assert.Contains(problems, p => p.Contains("not a valid MPD"));
    }

    private static Dictionary<string, string> CompleteAsset()
    {
        const string media = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MAP:URI=\"init-0.m4s\"\n"
            + "#EXTINF:2.000000,\nseg-0-00001.m4s\n#EXTINF:2.000000,\nseg-0-00002.m4s\n#EXTINF:2.000000,\nseg-0-00003.m4s\n#EXT-X-ENDLIST\n";
        return new Dictionary<string, string>
        {
            [OutputLayout.HlsMaster] = Fixture("ffmpeg51-master.m3u8"),
            ["media_0.m3u8"] = media,
            ["media_1.m3u8"] = media.Replace("-0", "-1", StringComparison.Ordinal),
            ["media_2.m3u8"] = media.Replace("-0", "-2", StringComparison.Ordinal),
            [OutputLayout.DashManifest] = Fixture("ffmpeg51-manifest.mpd"),
        };
    }
}
