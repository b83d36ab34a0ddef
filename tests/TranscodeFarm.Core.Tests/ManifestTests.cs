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
    public void Finisher_makes_a_vod_playlist_without_wall_clock_tags()
    {
        var finished = HlsPlaylistFinisher.FinishMedia(Fixture("ffmpeg51-media.m3u8"));
        Assert.DoesNotContain("PROGRAM-DATE-TIME", finished);
        var media = HlsParser.ParseMedia(finished);
        Assert.Equal("VOD", media.PlaylistType);
        Assert.Equal("init-0.m4s", media.MapUri);
        Assert.True(media.EndList);
        Assert.Equal(3, media.Segments.Count);
        Assert.Equal(2.0, media.Segments[0].Duration);
        Assert.Contains("#EXT-X-INDEPENDENT-SEGMENTS\n", finished);
        // Idempotent: finishing twice changes nothing.
        Assert.Equal(finished, HlsPlaylistFinisher.FinishMedia(finished));
    }

    [Theory]
    [InlineData("#EXT-X-TARGETDURATION:0", "#EXTINF:0.500000,", 1)]
    [InlineData("#EXT-X-TARGETDURATION:0", "#EXTINF:0.400000,", 1)]
    [InlineData("#EXT-X-TARGETDURATION:4", "#EXTINF:4.600000,", 5)]
    [InlineData("#EXT-X-TARGETDURATION:6", "#EXTINF:4.000000,", 6)]
    public void Finisher_makes_target_duration_valid(string target, string extinf, int expected)
    {
        var text = $"#EXTM3U\n#EXT-X-VERSION:6\n{target}\n#EXT-X-MAP:URI=\"i.mp4\"\n{extinf}\ns1.m4s\n#EXT-X-ENDLIST\n";
        Assert.Equal(expected, HlsParser.ParseMedia(HlsPlaylistFinisher.FinishMedia(text)).TargetDuration);
    }

    [Fact]
    public void Finisher_marks_master_independent()
    {
        var master = HlsParser.ParseMaster(HlsPlaylistFinisher.FinishMaster(Fixture("ffmpeg51-master.m3u8")));
        Assert.True(master.IndependentSegments);
        Assert.Equal(2, master.Variants.Count);
    }

    [Fact]
    public void Finisher_sets_peak_bandwidth_and_keeps_the_average()
    {
        var peaks = new Dictionary<string, long> { ["media_0.m3u8"] = 1_200_000, ["media_1.m3u8"] = 100 };
        var text = HlsPlaylistFinisher.FinishMaster(Fixture("ffmpeg51-master.m3u8"), peaks);
        var master = HlsParser.ParseMaster(text);
        Assert.Equal(1_200_000, master.Variants[0].Bandwidth);
        Assert.Equal("899950", master.Variants[0].Attributes["AVERAGE-BANDWIDTH"]);
        Assert.Equal(398234, master.Variants[1].Bandwidth); // a peak below the average is never written
        Assert.Equal(text, HlsPlaylistFinisher.FinishMaster(text, peaks));
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
        var media = HlsPlaylistFinisher.FinishMedia(Fixture("ffmpeg51-media.m3u8"));
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
