using TranscodeFarm.Core.Planning;

namespace TranscodeFarm.Core.Tests;

public class LadderPlannerTests
{
    private static readonly AudioSourceInfo Stereo = new("aac", 2, 48000);

    private static EncodePlan Plan(VideoSourceInfo? video, AudioSourceInfo? audio = null, params int[] heights)
    {
        var result = LadderPlanner.Plan(TestProfiles.Ladder(heights.Length == 0 ? [1080, 720, 360] : heights), new SourceInfo("mov", 10, video, audio ?? Stereo));
        Assert.True(result.Plan is not null, result.Error);
        return result.Plan!;
    }

    [Fact]
    public void Full_hd_source_gets_every_rung_with_16_9_even_sizes()
    {
        var plan = Plan(new VideoSourceInfo("h264", 1920, 1080, 30));
        Assert.Equal([(1920, 1080), (1280, 720), (640, 360)], plan.Video.Select(v => (v.Width, v.Height)));
        Assert.Equal((16, 9), plan.DisplayAspect);
        Assert.Null(plan.OutputFrameRate);
    }

    [Fact]
    public void Never_upscales_and_collapses_higher_rungs_into_one_at_source_size()
    {
        var plan = Plan(new VideoSourceInfo("h264", 1280, 540, 25), null, 1080, 720, 360);
        Assert.All(plan.Video, v => Assert.True(v.Height <= 540));
        Assert.Equal([(1280, 540), (854, 360)], plan.Video.Select(v => (v.Width, v.Height)));
        // The 540-line rung sits between the 360 and 720 rungs: its bitrate is interpolated by area between theirs.
        var t = (540.0 * 540 - 360 * 360) / (720.0 * 720 - 360 * 360);
        Assert.Equal((int)Math.Round(360 * 5 + (t * (720 - 360) * 5)), plan.Video[0].BitrateKbps);
    }

    [Fact]
    public void Small_source_gets_a_single_rendition_at_its_own_size()
    {
        var plan = Plan(new VideoSourceInfo("h264", 160, 120, 30), null, 720, 360);
        var only = Assert.Single(plan.Video);
        Assert.Equal((160, 120), (only.Width, only.Height));
    }

    [Fact]
    public void Odd_dimensions_become_even()
    {
        var plan = Plan(new VideoSourceInfo("h264", 321, 239, 30), null, 720, 144);
        Assert.All(plan.Video, v => Assert.True(v.Width % 2 == 0 && v.Height % 2 == 0, $"{v.Width}x{v.Height}"));
        Assert.Equal((320, 238), (plan.Video[0].Width, plan.Video[0].Height));
        Assert.Equal((194, 144), (plan.Video[1].Width, plan.Video[1].Height));
    }

    [Fact]
    public void Portrait_source_keeps_portrait_with_rung_as_the_short_side()
    {
        var plan = Plan(new VideoSourceInfo("h264", 1080, 1920, 30));
        Assert.Equal([(1080, 1920), (720, 1280), (360, 640)], plan.Video.Select(v => (v.Width, v.Height)));
        Assert.Equal((9, 16), plan.DisplayAspect);
    }

    [Theory]
    [InlineData(90)]
    [InlineData(-90)]
    [InlineData(270)]
    public void Rotated_phone_video_is_planned_as_displayed(int rotation)
    {
        // Coded landscape, displayed portrait: ffmpeg auto-rotates before the filter graph.
        var plan = Plan(new VideoSourceInfo("h264", 1920, 1080, 30, rotation));
        Assert.Equal((1080, 1920), (plan.Video[0].Width, plan.Video[0].Height));
    }

    [Fact]
    public void Anamorphic_source_is_planned_at_display_aspect()
    {
        var plan = Plan(new VideoSourceInfo("mpeg2video", 720, 576, 25, 0, 64.0 / 45), null, 576);
        Assert.Equal((1024, 576), (plan.Video[0].Width, plan.Video[0].Height));
    }

    [Theory]
    [InlineData(60, 30)]
    [InlineData(59.94, 29.97)]
    [InlineData(50, 25)]
    [InlineData(120, 30)]
    [InlineData(0, 30)]
    public void Frame_rate_above_the_cap_is_reduced(double source, double expected)
    {
        var plan = Plan(new VideoSourceInfo("h264", 640, 360, source), null, 360);
        Assert.Equal(expected, plan.OutputFrameRate!.Value, 2);
    }

    [Fact]
    public void Source_without_audio_gets_no_audio_renditions()
    {
        var result = LadderPlanner.Plan(TestProfiles.Ladder(360), new SourceInfo("mov", 5, new VideoSourceInfo("h264", 640, 360, 30), null));
        Assert.Empty(result.Plan!.Audio);
        Assert.Single(result.Plan.Video);
    }

    [Fact]
    public void Audio_only_source_gets_audio_renditions_only()
    {
        var result = LadderPlanner.Plan(TestProfiles.Ladder(360), new SourceInfo("mp3", 5, null, new AudioSourceInfo("mp3", 1, 44100)));
        Assert.True(result.Plan!.IsAudioOnly);
        Assert.Equal(1, Assert.Single(result.Plan.Audio).Channels); // never upmixed
    }

    [Theory]
    [InlineData(0, "no duration")]
    [InlineData(double.NaN, "no duration")]
    public void Empty_media_is_a_clear_failure(double duration, string reason)
    {
        var result = LadderPlanner.Plan(TestProfiles.Ladder(360), new SourceInfo("mov", duration, new VideoSourceInfo("h264", 640, 360, 30), null));
        Assert.Null(result.Plan);
        Assert.Contains(reason, result.Error);
    }

    [Fact]
    public void Tiny_or_streamless_sources_fail_with_a_reason()
    {
        Assert.Contains("smallest supported", LadderPlanner.Plan(TestProfiles.Ladder(360), new SourceInfo("mov", 5, new VideoSourceInfo("h264", 16, 16, 30), null)).Error);
        Assert.Contains("no video or audio", LadderPlanner.Plan(TestProfiles.Ladder(360), new SourceInfo("mov", 5, null, null)).Error);
    }

    [Fact]
    public void A_picture_that_stops_before_its_sound_is_held_to_the_end_and_only_then()
    {
        var still = new VideoSourceInfo("h264", 320, 240, 25) { StreamSeconds = 0.04 };
        var plan = LadderPlanner.Plan(TestProfiles.Ladder(240), new SourceInfo("mov", 5, still, Stereo)).Plan!;
        Assert.Equal(4.96, plan.HoldLastPictureSeconds, 3);
        Assert.Contains("tpad=stop_mode=clone:stop_duration=4.96,split=1", Core.Ffmpeg.EncodeArgumentBuilder.BuildFilterGraph(plan), StringComparison.Ordinal);

        // Silent, or within half a second of the sound (muxing slack), or of unknown length: the video as it is.
        Assert.Equal(0, LadderPlanner.Plan(TestProfiles.Ladder(240), new SourceInfo("mov", 5, still, null)).Plan!.HoldLastPictureSeconds);
        Assert.Equal(0, LadderPlanner.Plan(TestProfiles.Ladder(240), new SourceInfo("mov", 5, still with { StreamSeconds = 4.6 }, Stereo)).Plan!.HoldLastPictureSeconds);
        Assert.Equal(0, LadderPlanner.Plan(TestProfiles.Ladder(240), new SourceInfo("mov", 5, still with { StreamSeconds = 0 }, Stereo)).Plan!.HoldLastPictureSeconds);
    }
}
