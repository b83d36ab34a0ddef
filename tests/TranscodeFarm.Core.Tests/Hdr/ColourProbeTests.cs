using TranscodeFarm.Core.Planning;

namespace TranscodeFarm.Core.Tests.Hdr;

/// <summary>The colour probe's JSON (ffprobe 5.1) into a <see cref="SourceColour"/>: HDR10, HLG, Dolby Vision, SDR.</summary>
public class ColourProbeTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    [Fact]
    public void Hdr10_from_a_real_x265_file_reads_transfer_primaries_depth_and_the_static_metadata()
    {
        // ffprobe 5.1 on an x265 main10 file made with master-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,1), max-cll=1000,400.
        var colour = ColourProbe.Parse(Fixture("ffprobe51-colour-hdr10.json"))!;

        Assert.Equal(("smpte2084", "bt2020", "bt2020nc", 10), (colour.Transfer, colour.Primaries, colour.Matrix, colour.BitDepth));
        Assert.Equal(DynamicRange.Pq, colour.Range);
        Assert.Equal("HDR10", colour.Describe());
        Assert.Equal(new MasteringDisplay(34000, 16000, 13250, 34500, 7500, 3000, 15635, 16450, 10_000_000, 1), colour.Mastering);
        Assert.Equal("G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,1)", colour.Mastering!.ToX265());
        Assert.Equal(new ContentLightLevel(1000, 400), colour.LightLevel);
        Assert.Null(colour.DolbyVision);
    }

    [Fact]
    public void Hlg_and_sdr_come_from_the_transfer_and_8_bit_pq_is_pq_all_the_same()
    {
        Assert.Equal(DynamicRange.Hlg, Parse(Stream("arib-std-b67", "yuv420p10le")).Range);
        var sdr = Parse(Stream("bt709", "yuv420p"));
        Assert.Equal((DynamicRange.Sdr, 8, false), (sdr.Range, sdr.BitDepth, sdr.IsHdr));
        var pq8 = Parse(Stream("smpte2084", "yuv420p"));
        Assert.Equal(DynamicRange.Pq, pq8.Range); // tone-mapped like any PQ source, never passed on as 8-bit PQ
        Assert.Equal("PQ (8-bit, bt2020 primaries)", pq8.Describe());
        Assert.Equal(12, Parse(Stream("smpte2084", "yuv422p12le")).BitDepth);
        Assert.Equal(10, Parse(Stream("smpte2084", "p010le")).BitDepth);
    }

    [Fact]
    public void Untagged_source_is_sdr_and_no_video_stream_is_null()
    {
        var untagged = Parse("""{"frames": [], "streams": [{"pix_fmt": "yuv420p", "color_transfer": "unknown"}]}""");
        Assert.Equal((null, null, DynamicRange.Sdr), (untagged.Transfer, untagged.Primaries, untagged.Range));
        Assert.Null(ColourProbe.Parse("""{"streams": []}"""));
        Assert.Throws<FormatException>(() => ColourProbe.Parse("ffprobe: not json"));
    }

    [Fact]
    public void Matroska_carries_the_metadata_in_the_stream_header()
    {
        var colour = Parse("""
            {"frames": [{"pix_fmt": "yuv420p10le"}],
             "streams": [{"pix_fmt": "yuv420p10le", "color_transfer": "smpte2084", "color_primaries": "bt2020", "color_space": "bt2020nc",
               "side_data_list": [
                 {"side_data_type": "Content light level metadata", "max_content": 4000, "max_average": 200},
                 {"side_data_type": "Mastering display metadata", "red_x": "0.68", "red_y": "0.32", "green_x": "0.265", "green_y": "0.69",
                  "blue_x": "0.15", "blue_y": "0.06", "white_point_x": "0.3127", "white_point_y": "0.329", "min_luminance": "0.005", "max_luminance": "4000"}]}]}
            """);
        Assert.Equal(new ContentLightLevel(4000, 200), colour.LightLevel);
        Assert.Equal(new MasteringDisplay(34000, 16000, 13250, 34500, 7500, 3000, 15635, 16450, 40_000_000, 50), colour.Mastering);
    }

    [Theory]
    [InlineData(8, 1, "smpte2084", DynamicRange.Pq, "Dolby Vision 8.1 (HDR10 base layer)")]
    [InlineData(8, 4, "arib-std-b67", DynamicRange.Hlg, "Dolby Vision 8.4 (HLG base layer)")]
    [InlineData(7, 6, null, DynamicRange.Pq, "Dolby Vision 7.6 (HDR10 base layer)")] // untagged: the record says PQ
    [InlineData(8, 2, "bt709", DynamicRange.Sdr, "Dolby Vision 8.2 (SDR base layer)")]
    public void Dolby_vision_record_says_what_the_base_layer_is(int profile, int compatibility, string? transfer, DynamicRange range, string described)
    {
        var colour = Parse(DolbyVision(profile, compatibility, transfer));
        Assert.Equal(new DolbyVisionConfig(profile, 6, true, profile == 7, compatibility), colour.DolbyVision);
        Assert.Equal(range, colour.Range);
        Assert.Equal(described, colour.Describe());
    }

    [Fact]
    public void Dolby_vision_profile_5_has_no_base_layer_a_screen_can_show()
    {
        var colour = Parse(DolbyVision(5, 0, null));
        Assert.Null(colour.DolbyVision!.BaseLayerRange);
        var result = LadderPlanner.Plan(TestProfiles.Ladder(360), new SourceInfo("mov", 10, new VideoSourceInfo("hevc", 1920, 1080, 24) { Colour = colour }, null));
        Assert.Null(result.Plan);
        Assert.Contains("Dolby Vision profile 5 with no HDR10, HLG or SDR base layer", result.Error);
    }

    [Fact]
    public void Probe_arguments_read_one_packet_of_the_first_video_stream_through_the_allow_list()
    {
        var args = ColourProbe.Arguments("/in/-film.mkv");
        Assert.Equal(["-v", "error", "-select_streams", "v:0", "-read_intervals", "%+#1"], args.Take(6));
        Assert.Equal(["-show_frames", "-of", "json"], args.Skip(8).Take(3));
        Assert.Equal(["-protocol_whitelist", "file", "-i", "file:/in/-film.mkv"], args.TakeLast(4));
        Assert.Equal("-format_whitelist", args[^6]);
    }

    private static SourceColour Parse(string json) => ColourProbe.Parse(json)!;

    private static string Stream(string transfer, string pixelFormat) =>
        $$"""{"frames": [{"pix_fmt": "{{pixelFormat}}", "color_transfer": "{{transfer}}", "color_primaries": "bt2020"}], "streams": [{"pix_fmt": "{{pixelFormat}}"}]}""";

    /// <summary>ffprobe 5.1's print of a dvcC (ffprobe.c, print_dovi_conf), as stream side data.</summary>
    private static string DolbyVision(int profile, int compatibility, string? transfer) => $$"""
        {"frames": [{"pix_fmt": "yuv420p10le"{{(transfer is null ? "" : $", \"color_transfer\": \"{transfer}\"")}}}],
         "streams": [{"pix_fmt": "yuv420p10le", "side_data_list": [{"side_data_type": "DOVI configuration record",
           "dv_version_major": 1, "dv_version_minor": 0, "dv_profile": {{profile}}, "dv_level": 6, "rpu_present_flag": 1,
           "el_present_flag": {{(profile == 7 ? 1 : 0)}}, "bl_present_flag": 1, "dv_bl_signal_compatibility_id": {{compatibility}}}]}]}
        """;
}
