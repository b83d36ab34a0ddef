using FFMpegCore;
using FFMpegCore.Exceptions;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Planning;
using TranscodeFarm.Core.Subtitles;

namespace TranscodeFarm.Media;

public sealed record ProbeResult(SourceInfo? Source, string? Error);

/// <summary>ffprobe through FFMpegCore's analysis, reduced to <see cref="SourceInfo"/>; failures become reasons.</summary>
public sealed class MediaProber(MediaOptions options) : IMediaProber
{
    /// <param name="path">A path the farm controls (no user-chosen characters): FFMpegCore quotes it into one string.</param>
    public async Task<ProbeResult> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ProbeTimeout);
        IMediaAnalysis analysis;
        try
        {
            var ff = new FFOptions { BinaryFolder = options.FfmpegFolder };
            // Only the allowed containers, only this file: a playlist or concat list is refused before it opens anything.
            analysis = await FFProbe.AnalyseAsync(path, ff, SourceFormats.ProbeOptions, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(null, $"ffprobe did not finish within {options.ProbeTimeout.TotalSeconds:0} s");
        }
        catch (FFMpegException ex) when (SourceFormats.RefusedFormat(ex.Message) is { } refused)
        {
            return new ProbeResult(null, SourceFormats.RefusalReason(refused));
        }
        catch (Exception ex) when (ex is FFMpegException or FormatException or System.Text.Json.JsonException or InvalidOperationException or FormatNullException)
        {
            return new ProbeResult(null, "ffprobe could not read the file as media: " + FirstLines(ex.Message));
        }

        return ToSourceInfo(analysis);
    }

    internal static ProbeResult ToSourceInfo(IMediaAnalysis a)
    {
        // Cover art in audio files shows up as a one-frame video stream; it is not video to encode.
        var video = a.VideoStreams.FirstOrDefault(v => !(v.Disposition?.GetValueOrDefault("attached_pic") ?? false));
        var audio = a.AudioStreams.FirstOrDefault();
        var duration = a.Duration.TotalSeconds > 0 ? a.Duration.TotalSeconds : Math.Max(video?.Duration.TotalSeconds ?? 0, audio?.Duration.TotalSeconds ?? 0);
        if (video is { Width: null or 0 } or { Height: null or 0 })
        {
            return new ProbeResult(null, $"the video stream ({video.CodecName}) has no frame size: the file is damaged or the codec is not supported");
        }

        var sar = video is { SampleAspectRatio: (> 0, > 0) sarValue } ? (double)sarValue.Item1 / sarValue.Item2 : 1.0;
        var fps = video is null ? 0 : video.AverageFrameRate is > 0 and < 1000 ? video.AverageFrameRate : video.RealFrameRate;
        return new ProbeResult(
            new SourceInfo(
                a.Format.FormatName,
                duration,
                video is null ? null : new VideoSourceInfo(video.CodecName ?? "unknown", video.Width!.Value, video.Height!.Value, fps, video.Rotation, sar),
                audio is null ? null : new AudioSourceInfo(audio.CodecName ?? "unknown", audio.Channels ?? 2, audio.SampleRateHz ?? 48000))
            {
                Subtitles = SubtitleStreams(a),
            },
            null);
    }

    private static List<SubtitleStreamInfo> SubtitleStreams(IMediaAnalysis a) =>
        [.. a.SubtitleStreams.Select((s, n) => new SubtitleStreamInfo(
            n,
            s.CodecName ?? "unknown",
            s.Language,
            s.Tags?.GetValueOrDefault("title"),
            Flag(s, "forced"),
            Flag(s, "hearing_impaired"),
            Flag(s, "default")))];

    private static bool Flag(MediaStream s, string disposition) => s.Disposition?.GetValueOrDefault(disposition) ?? false;

    private static string FirstLines(string message) =>
        string.Join(" ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(4));
}
