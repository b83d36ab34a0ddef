using TranscodeFarm.Core.Planning;
using TranscodeFarm.Core.Profiles;

namespace TranscodeFarm.Core.Tests;

/// <summary>Issue 16, item 5: no near-duplicate rungs, bitrates that rise with the picture, a between-rungs source's own top rung.</summary>
public class LadderSanityTests
{
    private static readonly LadderProfile H264Cmaf = ProfileParser.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ffmpeg-profiles", "h264-cmaf.json")), "h264-cmaf.json").Profile!;

    private static EncodePlan Plan(LadderProfile profile, int width, int height)
    {
        var result = LadderPlanner.Plan(profile, new SourceInfo("mov", 10, new VideoSourceInfo("h264", width, height, 25), null));
        Assert.True(result.Plan is not null, result.Error);
        return result.Plan!;
    }

    [Fact]
    public void A_576_line_source_tops_at_576_with_a_bitrate_between_540_and_720_and_no_540_rung()
    {
        var plan = Plan(H264Cmaf, 1024, 576);

        Assert.Equal([576, 360, 240], plan.Video.Select(v => v.Height));
        var top = plan.Video[0];
        // 540 → 2000 kbps, 720 → 3000 kbps; 576 lines is 17.7% of the way by pixel count.
        var t = (576.0 * 576 - 540 * 540) / (720.0 * 720 - 540 * 540);
        Assert.Equal((int)Math.Round(2000 + (t * 1000)), top.BitrateKbps);
        Assert.InRange(top.BitrateKbps, 2001, 2999);
        Assert.InRange(top.MaxrateKbps, 2600, 4500);
        Assert.True(top.BufsizeKbps >= top.MaxrateKbps);
    }

    [Theory]
    [InlineData(1920, 1080)]
    [InlineData(1920, 1070)]
    [InlineData(1280, 736)]
    [InlineData(1024, 576)]
    [InlineData(960, 540)]
    [InlineData(854, 480)]
    [InlineData(640, 352)]
    [InlineData(426, 240)]
    [InlineData(320, 180)]
    [InlineData(1080, 1920)]
    public void No_rung_is_within_ten_percent_of_a_taller_one_and_bitrates_rise_with_height(int width, int height)
    {
        var plan = Plan(H264Cmaf, width, height);

        for (var i = 1; i < plan.Video.Count; i++)
        {
            var (taller, shorter) = (plan.Video[i - 1], plan.Video[i]);
            var (tallerShort, shorterShort) = (Math.Min(taller.Width, taller.Height), Math.Min(shorter.Width, shorter.Height));
            Assert.True(shorterShort <= LadderPlanner.NearDuplicate * tallerShort, $"{shorterShort} lines is within 10% of {tallerShort}");
            Assert.True(shorter.BitrateKbps < taller.BitrateKbps, $"{shorterShort} lines at {shorter.BitrateKbps} kbps vs {tallerShort} at {taller.BitrateKbps}");
        }

        Assert.Equal(Math.Min(width, height) / 2 * 2, Math.Min(plan.Video[0].Width, plan.Video[0].Height)); // never upscaled, never shrunk
    }

    [Fact]
    public void A_source_just_above_a_rung_replaces_it_and_one_just_below_the_top_keeps_the_next()
    {
        Assert.Equal([736, 540, 360, 240], Plan(H264Cmaf, 1308, 736).Video.Select(v => v.Height));
        Assert.Equal([1070, 720, 540, 360, 240], Plan(H264Cmaf, 1920, 1070).Video.Select(v => v.Height));
    }

    [Fact]
    public void Near_duplicate_rungs_of_a_profile_are_dropped_even_at_full_size()
    {
        var profile = TestProfiles.Ladder(1080, 1000, 720);
        Assert.Equal([1080, 720], Plan(profile, 1920, 1080).Video.Select(v => v.Height));
    }

    [Fact]
    public void A_source_below_every_rung_keeps_the_smallest_rungs_bitrate_scaled_by_area()
    {
        var only = Assert.Single(Plan(H264Cmaf, 192, 108).Video);
        Assert.Equal((int)Math.Round(300 * (108.0 * 108 / (240 * 240))), only.BitrateKbps);
    }

    [Fact]
    public void A_profile_whose_taller_rung_costs_fewer_bits_is_refused()
    {
        const string json = """
            { "name": "x", "video": [
                { "name": "720p", "height": 720, "bitrateKbps": 1500 },
                { "name": "540p", "height": 540, "bitrateKbps": 2000 } ] }
            """;
        var result = ProfileParser.Parse(json, "x.json");
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Contains("'720p' (720 lines, 1500 kbps) must have a higher bitrate than the shorter '540p'", StringComparison.Ordinal));
    }
}
