using TranscodeFarm.Core.Profiles;

namespace TranscodeFarm.Core.Planning;

/// <summary>
/// Turns a profile and a probed source into concrete renditions: never upscales, keeps the display
/// aspect ratio with even dimensions, handles portrait and rotated sources, caps the frame rate, and
/// drops audio renditions when the source has none. Audio-only sources get the audio renditions only.
/// </summary>
public static class LadderPlanner
{
    public const int MinDimension = 32;
    public const int MaxSourceDimension = 8192;

    public static PlanResult Plan(LadderProfile profile, SourceInfo source)
    {
        if (source.Video is null && source.Audio is null)
        {
            return PlanResult.Fail("the file has no video or audio stream that can be decoded");
        }

        if (source.DurationSeconds <= 0 || double.IsNaN(source.DurationSeconds))
        {
            return PlanResult.Fail("the file has no duration (empty or truncated media)");
        }

        var audio = source.Audio is null ? [] : profile.Audio.Select(a => PlanAudio(a, source.Audio)).ToList();
        if (source.Video is null)
        {
            return audio.Count == 0
                ? PlanResult.Fail($"the source is audio-only but profile '{profile.Name}' has no audio renditions")
                : PlanResult.Ok(new EncodePlan(profile.Name, [], audio, profile.SegmentSeconds, profile.GopSeconds, null, source.DurationSeconds));
        }

        var v = source.Video;
        if (v.Width < MinDimension || v.Height < MinDimension)
        {
            return PlanResult.Fail($"the video is {v.Width}x{v.Height}; the smallest supported size is {MinDimension}x{MinDimension}");
        }

        if (v.Width > MaxSourceDimension || v.Height > MaxSourceDimension)
        {
            return PlanResult.Fail($"the video is {v.Width}x{v.Height}; the largest supported size is {MaxSourceDimension}x{MaxSourceDimension}");
        }

        if (v.Colour?.DolbyVision is { BaseLayerRange: null } dv)
        {
            return PlanResult.Fail($"the source is Dolby Vision profile {dv.Profile} with no HDR10, HLG or SDR base layer "
                + $"(compatibility id {dv.CompatibilityId}): only a Dolby Vision decoder can show its colours; send an HDR10 or profile 8 master");
        }

        var hdr = v.Colour is { IsHdr: true } ? v.Colour : null;
        var video = PlanRanges(profile, v.DisplaySize, hdr);
        if (video.Count == 0)
        {
            return PlanResult.Fail(profile.Video.Count > 0
                ? $"profile '{profile.Name}' has only HDR renditions (dynamicRange \"hdr\") and the source is {v.Colour?.Describe() ?? "SDR"}"
                    + (hdr is null ? "" : $" in {hdr.Primaries}/{hdr.Matrix}, which HDR renditions do not convert (BT.2020 only)")
                : $"profile '{profile.Name}' has no video renditions for a video source");
        }

        double? fps = v.FrameRate > profile.MaxFrameRate || v.FrameRate <= 0 || double.IsNaN(v.FrameRate)
            ? CapFrameRate(v.FrameRate, profile.MaxFrameRate)
            : null;
        var (dw, dh) = v.DisplaySize;
        var gcd = Gcd(dw, dh);
        return PlanResult.Ok(new EncodePlan(profile.Name, video, audio, profile.SegmentSeconds, profile.GopSeconds, fps, source.DurationSeconds)
        {
            DisplayAspect = (dw / gcd, dh / gcd),
            HdrSource = hdr,
        });
    }

    /// <summary>
    /// SDR rungs first (they play everywhere), then the HDR rungs, each list planned on its own so an HDR and an SDR rung of
    /// the same size are both kept. HDR rungs exist only for an HDR source in BT.2020 (SDR cannot be made HDR, and other
    /// primaries are not converted: such a source gets its tone-mapped SDR rungs only).
    /// </summary>
    private static List<PlannedVideo> PlanRanges(LadderProfile profile, (int Width, int Height) display, SourceColour? hdr)
    {
        var planned = PlanVideo(profile with { Video = [.. profile.Video.Where(r => !r.IsHdr)] }, display);
        if (hdr is { IsBt2020: true })
        {
            planned.AddRange(PlanVideo(profile with { Video = [.. profile.Video.Where(r => r.IsHdr)] }, display)
                .Select(p => p with { Range = hdr.Range, Profile = p.Profile ?? "main10" }));
        }

        return planned;
    }

    private static int Gcd(int a, int b) => b == 0 ? Math.Max(1, a) : Gcd(b, a % b);

    /// <summary>Frame rate to force: halve while above the cap (60→30, 50→25), else the cap itself.</summary>
    internal static double CapFrameRate(double sourceFps, double cap)
    {
        if (sourceFps <= 0 || double.IsNaN(sourceFps) || double.IsInfinity(sourceFps))
        {
            return Math.Min(30, cap);
        }

        var fps = sourceFps;
        while (fps > cap)
        {
            fps /= 2;
        }

        return fps < 10 ? cap : Math.Round(fps, 3);
    }

    private static List<PlannedVideo> PlanVideo(LadderProfile profile, (int Width, int Height) display)
    {
        // Rendition "height" means the short side, so a portrait phone video gets a 1080-wide top rung, not 1080 tall.
        var portrait = display.Height > display.Width;
        var shortSide = Math.Min(display.Width, display.Height) / 2 * 2; // round down: never a pixel above the source
        var aspect = (double)display.Width / display.Height;

        // Never upscale. Rungs above the source collapse into one rung at the source's own size (from the
        // smallest such rung, bitrate scaled down by area), so a 900p source still gets a 900p top rendition.
        var fitting = profile.Video.Where(r => r.Height <= shortSide).OrderByDescending(r => r.Height).ToList();
        var nearestAbove = profile.Video.Where(r => r.Height > shortSide).OrderBy(r => r.Height).FirstOrDefault();
        var rungs = new List<(VideoRendition Rung, int Short)>();
        if (nearestAbove is not null && (fitting.Count == 0 || fitting[0].Height < shortSide))
        {
            rungs.Add((nearestAbove, shortSide));
        }

        rungs.AddRange(fitting.Select(r => (r, r.Height)));

        var planned = new List<PlannedVideo>();
        var seen = new HashSet<(int, int)>();
        foreach (var (r, rungShort) in rungs)
        {
            var (w, h) = portrait ? (rungShort, Even(rungShort / aspect)) : (Even(rungShort * aspect), rungShort);
            if (!seen.Add((w, h)))
            {
                continue;
            }

            var area = (double)rungShort * rungShort / ((double)r.Height * r.Height);
            var bitrate = Math.Max(50, (int)Math.Round(r.BitrateKbps * area));
            var maxrate = Math.Max(bitrate, (int)Math.Round(r.EffectiveMaxrateKbps * area));
            var bufsize = Math.Max(maxrate, (int)Math.Round(r.EffectiveBufsizeKbps * area));
            planned.Add(new PlannedVideo(r.Name, w, h, bitrate, maxrate, bufsize, r.Codec, r.Preset, r.Profile, r.Level, r.Filter));
        }

        return planned;
    }

    private static PlannedAudio PlanAudio(AudioRendition a, AudioSourceInfo source) =>
        new(a.Name, a.BitrateKbps, Math.Clamp(Math.Min(a.Channels, source.Channels <= 0 ? a.Channels : source.Channels), 1, 8), a.SampleRate, a.Codec, a.Filter);

    private static int Even(double value) => Math.Max(2, (int)Math.Round(value / 2.0, MidpointRounding.AwayFromZero) * 2);
}
