using System.Globalization;
using TranscodeFarm.Core.Profiles;

namespace TranscodeFarm.Core.Planning;

/// <summary>
/// Turns a detected scan into the filter that makes progressive pictures (decision 027): bwdif for interlaced sources
/// (a picture per field or per frame, as the profile says and its frame-rate cap allows), fieldmatch + decimate for 3:2
/// pulled-down film (back to its 24 pictures a second; bwdif cleans up any frame fieldmatch could not match).
/// </summary>
public static class ScanPlanner
{
    public static PlannedScan? Plan(VideoScan? scan, VideoSourceInfo video, LadderProfile profile)
    {
        if (scan is null || scan.Kind == ScanKind.Progressive || video.FrameRate <= 0 || double.IsNaN(video.FrameRate))
        {
            return null;
        }

        var fps = video.FrameRate;
        var parity = scan.Parity;
        if (scan.Kind == ScanKind.Telecined)
        {
            var film = fps * 4 / 5; // 3:2 pulldown makes 5 frames of every 4 film frames
            return new PlannedScan(
                $"fieldmatch=order={parity},bwdif=mode=send_frame:parity={parity}:deint=interlaced,decimate",
                film,
                F($"telecined 3:2 {Rate(fps)} fps, {parity} → fieldmatch + decimate {Rate(film)}p ({scan.Evidence})"));
        }

        var byField = profile.Deinterlace == DeinterlaceModes.Field && fps * 2 <= profile.MaxFrameRate + 0.01;
        var output = byField ? fps * 2 : fps;
        var why = profile.Deinterlace == DeinterlaceModes.Field && !byField
            ? F($", a picture per frame: {Rate(fps * 2)} fields/s is above the profile's {Rate(profile.MaxFrameRate)} fps cap")
            : "";
        return new PlannedScan(
            $"bwdif=mode={(byField ? "send_field" : "send_frame")}:parity={parity}:deint=all",
            output,
            F($"interlaced {parity} {video.Height}i{Rate(fps)} → bwdif {Rate(output)}p{why} ({scan.Evidence})"));
    }

    private static string Rate(double fps) => fps.ToString("0.###", CultureInfo.InvariantCulture);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
