using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Planning;
using TranscodeFarm.Core.Profiles;

namespace TranscodeFarm.Core.Tests;

/// <summary>Issue 16, item 4 (decision 027): idet's summary, the scan rule, and the filter each scan gets.</summary>
public class ScanDetectionTests
{
    // Captured from ffmpeg 5.1 (idet over 200 frames) on the sources named; the single-frame line is printed but unused.
    private static IdetReport Idet(string repeated, string multi) => IdetParser.Parse(
    [
        "[Parsed_idet_0 @ 0x562e88967a80] Repeated Fields: " + repeated,
        "[Parsed_idet_0 @ 0x562e88967a80] Single frame detection: TFF:    75 BFF:     0 Progressive:     0 Undetermined:     0",
        "[Parsed_idet_0 @ 0x562e88967a80] Multi frame detection: " + multi,
    ])!;

    private static readonly IdetReport Interlaced576Tff = Idet("Neither:    75 Top:     0 Bottom:     0", "TFF:    75 BFF:     0 Progressive:     0 Undetermined:     0");
    private static readonly IdetReport Interlaced1080Bff = Idet("Neither:    50 Top:     0 Bottom:     0", "TFF:     0 BFF:    50 Progressive:     0 Undetermined:     0");
    private static readonly IdetReport Telecine = Idet("Neither:    54 Top:    18 Bottom:    18", "TFF:    90 BFF:     0 Progressive:     0 Undetermined:     0");
    private static readonly IdetReport BusyProgressive = Idet("Neither:    75 Top:     0 Bottom:     0", "TFF:    41 BFF:    25 Progressive:     9 Undetermined:     0");
    private static readonly IdetReport StillProgressive = Idet("Neither:    75 Top:     0 Bottom:     0", "TFF:     0 BFF:     0 Progressive:    26 Undetermined:    49");
    private static readonly IdetReport Psf = Idet("Neither:    75 Top:     0 Bottom:     0", "TFF:     1 BFF:     0 Progressive:    74 Undetermined:     0");

    [Fact]
    public void Parser_reads_idets_totals_and_says_nothing_without_them()
    {
        Assert.Equal(new IdetReport(54, 18, 18, 90, 0, 0, 0), Telecine);
        Assert.Equal(90, Telecine.Frames);
        Assert.Null(IdetParser.Parse(["[Parsed_idet_0 @ 0x1] Repeated Fields: Neither: 3 Top: 0 Bottom: 0", "Conversion failed!"]));
        Assert.Null(IdetParser.Parse([]));
    }

    [Theory]
    [InlineData("tt", FieldOrder.TopFirst)]
    [InlineData("bt", FieldOrder.TopFirst)]
    [InlineData("bb", FieldOrder.BottomFirst)]
    [InlineData("tb", FieldOrder.BottomFirst)]
    [InlineData("progressive", FieldOrder.Progressive)]
    [InlineData("unknown", FieldOrder.Unknown)]
    [InlineData(null, FieldOrder.Unknown)]
    public void Ffprobe_field_order_is_read_in_display_order(string? said, FieldOrder expected) => Assert.Equal(expected, ScanDetector.FromFfprobe(said));

    [Fact]
    public void Interlaced_when_container_and_idet_agree_or_idet_disagrees_strongly_with_progressive()
    {
        Assert.Equal((ScanKind.Interlaced, FieldOrder.TopFirst), KindAndOrder(ScanDetector.Detect(FieldOrder.TopFirst, Interlaced576Tff)));
        Assert.Equal((ScanKind.Interlaced, FieldOrder.BottomFirst), KindAndOrder(ScanDetector.Detect(FieldOrder.BottomFirst, Interlaced1080Bff)));
        // Flagged progressive (or not at all) but combed in one parity throughout: interlaced.
        Assert.Equal((ScanKind.Interlaced, FieldOrder.TopFirst), KindAndOrder(ScanDetector.Detect(FieldOrder.Progressive, Interlaced576Tff)));
        Assert.Equal((ScanKind.Interlaced, FieldOrder.BottomFirst), KindAndOrder(ScanDetector.Detect(FieldOrder.Unknown, Interlaced1080Bff)));
        // Flagged top first, plainly bottom first: idet's parity (the wrong one makes motion judder).
        Assert.Equal(FieldOrder.BottomFirst, ScanDetector.Detect(FieldOrder.TopFirst, Interlaced1080Bff).Order);
    }

    [Fact]
    public void Progressive_when_idet_mixes_parities_or_sees_no_motion_or_overrules_a_psf_flag()
    {
        Assert.Equal(ScanKind.Progressive, ScanDetector.Detect(FieldOrder.Progressive, BusyProgressive).Kind);
        Assert.Equal(ScanKind.Progressive, ScanDetector.Detect(FieldOrder.Unknown, StillProgressive).Kind);
        Assert.Equal(ScanKind.Progressive, ScanDetector.Detect(FieldOrder.TopFirst, Psf).Kind);
        // Flagged interlaced, idet cannot tell (too few frames decided, a still picture): the flag stands.
        Assert.Equal(ScanKind.Interlaced, ScanDetector.Detect(FieldOrder.TopFirst, StillProgressive with { Progressive = 5, Undetermined = 70 }).Kind);
        Assert.Equal(ScanKind.Interlaced, ScanDetector.Detect(FieldOrder.BottomFirst, null).Kind);
        Assert.Equal(ScanKind.Progressive, ScanDetector.Detect(FieldOrder.Unknown, null).Kind);
    }

    [Fact]
    public void Telecine_is_two_frames_in_five_repeating_a_field_alternately_top_and_bottom()
    {
        var scan = ScanDetector.Detect(FieldOrder.Progressive, Telecine);
        Assert.Equal((ScanKind.Telecined, FieldOrder.TopFirst), KindAndOrder(scan));
        Assert.Contains("36 with a repeated field", scan.Evidence, StringComparison.Ordinal);
        // Every repeat on one side, or too few frames: not a 3:2 cadence.
        Assert.NotEqual(ScanKind.Telecined, ScanDetector.Detect(FieldOrder.Progressive, Telecine with { RepeatedTop = 36, RepeatedBottom = 0 }).Kind);
        Assert.NotEqual(ScanKind.Telecined, ScanDetector.Detect(FieldOrder.Progressive, new IdetReport(6, 2, 2, 10, 0, 0, 0)).Kind);
    }

    [Fact]
    public void Field_mode_doubles_the_rate_when_the_cap_allows_and_frame_mode_keeps_it()
    {
        var source = new VideoSourceInfo("h264", 720, 576, 25);
        var interlaced = new VideoScan(ScanKind.Interlaced, FieldOrder.TopFirst, "container: top field first");
        var byField = ScanPlanner.Plan(interlaced, source, TestProfiles.Ladder(576) with { MaxFrameRate = 60 })!;
        Assert.Equal("bwdif=mode=send_field:parity=tff:deint=all", byField.Filter);
        Assert.Equal(50, byField.FrameRate);
        Assert.StartsWith("interlaced tff 576i25 → bwdif 50p (container: top field first)", byField.Description, StringComparison.Ordinal);

        var byFrame = ScanPlanner.Plan(interlaced with { Order = FieldOrder.BottomFirst }, source, TestProfiles.Ladder(576) with { MaxFrameRate = 60, Deinterlace = DeinterlaceModes.Frame })!;
        Assert.Equal(("bwdif=mode=send_frame:parity=bff:deint=all", 25.0), (byFrame.Filter, byFrame.FrameRate));

        // 50 fields a second do not fit a 30 fps cap: a picture per frame, and the job says why.
        var capped = ScanPlanner.Plan(interlaced, source, TestProfiles.Ladder(576))!;
        Assert.Equal(25, capped.FrameRate);
        Assert.Contains("above the profile's 30 fps cap", capped.Description, StringComparison.Ordinal);
        Assert.Null(ScanPlanner.Plan(VideoScan.Progressive("x"), source, TestProfiles.Ladder(576)));
    }

    [Fact]
    public void The_plan_carries_the_scan_and_the_encode_deinterlaces_before_scaling_and_after_the_fingerprint_split()
    {
        var video = new VideoSourceInfo("h264", 1920, 1080, 29.97) { Scan = new VideoScan(ScanKind.Telecined, FieldOrder.TopFirst, "idet") };
        var plan = LadderPlanner.Plan(TestProfiles.Ladder(720, 360), new SourceInfo("mov", 10, video, null)).Plan!;

        Assert.Equal(23.976, plan.Scan!.FrameRate, 3);
        Assert.Null(plan.OutputFrameRate); // 23.976 is under the cap: no fps filter
        var graph = EncodeArgumentBuilder.BuildFilterGraph(plan, withFingerprint: true);
        Assert.StartsWith("[0:v:0]split=2[src][fpsrc];[src]fieldmatch=order=tff,bwdif=mode=send_frame:parity=tff:deint=interlaced,decimate,split=2[s0][s1];", graph, StringComparison.Ordinal);
        var args = EncodeArgumentBuilder.Build(plan, "/in.mp4");
        Assert.Equal("48", args[args.ToList().IndexOf("-g") + 1]); // 2 s GOP at 23.976
    }

    [Fact]
    public void Idet_runs_on_a_bounded_sample_of_the_allowed_input_only()
    {
        var args = IdetArguments.Build("/work/src.mp4", IdetArguments.StartFor(600));
        Assert.Equal(["-ss", "60"], args.SkipWhile(a => a != "-ss").Take(2));
        Assert.Contains("file:/work/src.mp4", args);
        Assert.Equal("250", args[args.ToList().IndexOf("-frames:v") + 1]);
        Assert.Equal(["-vf", "idet=intl_thres=1.2", "-f", "null", "-"], args.TakeLast(5));
        Assert.Equal(0, IdetArguments.StartFor(3));
    }

    private static (ScanKind, FieldOrder) KindAndOrder(VideoScan s) => (s.Kind, s.Order);
}
