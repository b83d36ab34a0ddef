using TranscodeFarm.Core.Profiles;

namespace TranscodeFarm.Core.Planning;

/// <summary>
/// Turns a profile and a probed source into concrete renditions: never upscales, keeps the display
/// aspect ratio with even dimensions, handles portrait and rotated sources, caps the frame rate, and
/// drops audio renditions when the source has none (audio tracks: <see cref="AudioPlanner"/>). Audio-only sources get the
/// audio renditions only.
/// </summary>
public static class LadderPlanner
{
    public const int MinDimension = 32;
    public const int MaxSourceDimension = 8192;

    /// <summary>A video stream this much shorter than the file's sound gets its last picture held to the end.</summary>
    public const double ShortVideoSeconds = 0.5;

    /// <summary>A rung taller than this share of the next taller rung is dropped (540 under a 576-line source's top rung).</summary>
    public const double NearDuplicate = 0.9;

    public static PlanResult Plan(LadderProfile profile, SourceInfo source)
    {
        if (source.Video is null && source.AudioTracks.Count == 0)
        {
            return PlanResult.Fail("the file has no video or audio stream that can be decoded");
        }

        if (source.DurationSeconds <= 0 || double.IsNaN(source.DurationSeconds))
        {
            return PlanResult.Fail("the file has no duration (empty or truncated media)");
        }

        var audio = AudioPlanner.Plan(profile, source.AudioTracks);
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

        // Deinterlacing by fields doubles the rate, inverse telecine takes it down to film's: the cap applies to what comes out.
        var scan = ScanPlanner.Plan(v.Scan, v, profile);
        var rate = scan?.FrameRate ?? v.FrameRate;
        double? fps = rate > profile.MaxFrameRate || rate <= 0 || double.IsNaN(rate)
            ? CapFrameRate(rate, profile.MaxFrameRate)
            : null;
        var (dw, dh) = v.DisplaySize;
        var gcd = Gcd(dw, dh);
        return PlanResult.Ok(new EncodePlan(profile.Name, video, audio, profile.SegmentSeconds, profile.GopSeconds, fps, source.DurationSeconds)
        {
            DisplayAspect = (dw / gcd, dh / gcd),
            Scan = scan,
            HoldLastPictureSeconds = source.Audio is not null && v.StreamSeconds > 0 && source.DurationSeconds - v.StreamSeconds > ShortVideoSeconds
                ? Math.Round(source.DurationSeconds - v.StreamSeconds, 3)
                : 0,
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

        // Never upscale. A source between two rungs gets its own size as the top rung, at a bitrate interpolated by
        // area between those two rungs (decision 027): a 576-line source under a 720 rung is not cheaper than 540.
        // A source below every rung gets one rung at its own size, the smallest rung's bitrate scaled by area.
        var fitting = profile.Video.Where(r => r.Height <= shortSide).OrderByDescending(r => r.Height).ToList();
        var nearestAbove = profile.Video.Where(r => r.Height > shortSide).OrderBy(r => r.Height).FirstOrDefault();
        var rungs = new List<(VideoRendition Rung, int Short, Rates Rates)>();
        if (nearestAbove is not null && (fitting.Count == 0 || fitting[0].Height < shortSide))
        {
            rungs.Add((nearestAbove, shortSide, fitting.Count == 0
                ? Rates.Of(nearestAbove).Scaled((double)shortSide * shortSide / ((double)nearestAbove.Height * nearestAbove.Height))
                : Rates.Between(fitting[0], nearestAbove, shortSide)));
        }

        rungs.AddRange(fitting.Select(r => (r, r.Height, Rates.Of(r))));

        var planned = new List<PlannedVideo>();
        var seen = new HashSet<(int, int)>();
        var taller = int.MaxValue;
        foreach (var (r, rungShort, rates) in rungs)
        {
            var (w, h) = portrait ? (rungShort, Even(rungShort / aspect)) : (Even(rungShort * aspect), rungShort);
            // A rung within ~10% of a taller one is nearly the same picture at nearly the same cost: players gain nothing.
            if (rungShort > NearDuplicate * taller || !seen.Add((w, h)))
            {
                continue;
            }

            taller = rungShort;
            planned.Add(new PlannedVideo(r.Name, w, h, rates.Bitrate, rates.Maxrate, rates.Bufsize, r.Codec, r.Preset, r.Profile, r.Level, r.Filter));
        }

        return planned;
    }

    private readonly record struct Rates(int Bitrate, int Maxrate, int Bufsize)
    {
        public static Rates Of(VideoRendition r) => new(r.BitrateKbps, r.EffectiveMaxrateKbps, r.EffectiveBufsizeKbps);

        public Rates Scaled(double area)
        {
            var bitrate = Math.Max(50, (int)Math.Round(Bitrate * area));
            var maxrate = Math.Max(bitrate, (int)Math.Round(Maxrate * area));
            return new(bitrate, maxrate, Math.Max(maxrate, (int)Math.Round(Bufsize * area)));
        }

        /// <summary>Linear in pixel count between the rung below and the rung above (bits track pixels better than lines).</summary>
        public static Rates Between(VideoRendition below, VideoRendition above, int height)
        {
            var t = ((double)height * height - (double)below.Height * below.Height) / ((double)above.Height * above.Height - (double)below.Height * below.Height);
            int Lerp(int a, int b) => (int)Math.Round(a + ((b - a) * t));
            var bitrate = Lerp(below.BitrateKbps, above.BitrateKbps);
            var maxrate = Math.Max(bitrate, Lerp(below.EffectiveMaxrateKbps, above.EffectiveMaxrateKbps));
            return new(bitrate, maxrate, Math.Max(maxrate, Lerp(below.EffectiveBufsizeKbps, above.EffectiveBufsizeKbps)));
        }
    }

    private static int Even(double value) => Math.Max(2, (int)Math.Round(value / 2.0, MidpointRounding.AwayFromZero) * 2);
}
