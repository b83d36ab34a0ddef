using TranscodeFarm.Core.Profiles;

namespace TranscodeFarm.Core.Tests;

public class ProfileParserTests
{
    [Theory]
    [InlineData("h264-cmaf.json")]
    [InlineData("test-tiny.json")]
    [InlineData("test-tiny-audio.json")]
    public void Shipped_profiles_are_valid(string file)
    {
        var result = ProfileParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ffmpeg-profiles", file)), file);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
    }

    [Fact]
    public void Shipped_h264_ladder_goes_from_1080p_to_240p()
    {
        var p = ProfileParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ffmpeg-profiles", "h264-cmaf.json")), "x").Profile!;
        Assert.Equal([1080, 720, 540, 360, 240], p.Video.Select(v => v.Height));
        Assert.Equal(4, p.SegmentSeconds);
    }

    [Fact]
    public void Errors_name_the_field_and_the_file()
    {
        const string json = """
            { "name": "bad", "segmentSeconds": 4, "gopSeconds": 3,
              "video": [ { "name": "a", "height": 719, "bitrateKbps": 10, "codec": "vp9" } ],
              "audio": [ { "name": "a", "sampleRate": 12345 } ] }
            """;
        var result = ProfileParser.Parse(json, "bad.json");
        Assert.False(result.IsValid);
        var all = string.Join("\n", result.Errors);
        Assert.Contains("bad.json: gopSeconds (3) must be positive and divide segmentSeconds (4)", all);
        Assert.Contains("video[0].height must be an even number", all);
        Assert.Contains("video[0].bitrateKbps", all);
        Assert.Contains("video[0].codec 'vp9' is not supported", all);
        Assert.Contains("audio[0].sampleRate", all);
        Assert.Contains("rendition name 'a' is used more than once", all);
    }

    [Fact]
    public void Unknown_fields_and_broken_json_are_rejected()
    {
        Assert.Contains("not a valid profile", ProfileParser.Parse("""{ "name": "x", "vidoe": [] }""", "f").Errors[0]);
        Assert.Contains("not a valid profile", ProfileParser.Parse("{", "f").Errors[0]);
    }

    [Fact]
    public void Preset_cannot_smuggle_extra_arguments()
    {
        const string json = """{ "name": "x", "video": [ { "name": "v", "height": 240, "bitrateKbps": 300, "preset": "fast -y /etc/passwd" } ] }""";
        Assert.Contains(ProfileParser.Parse(json, "f").Errors, e => e.Contains("plain words"));
    }
}
