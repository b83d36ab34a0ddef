using FFMpegCore;
using FFMpegCore.Exceptions;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Planning;
using TranscodeFarm.Core.Subtitles;

namespace TranscodeFarm.Media;

public sealed record ProbeResult(SourceInfo? Source, string? Error);

/// <summary>ffprobe through FFMpegCore's analysis, reduced to <see cref="SourceInfo"/>; failures become reasons.</summary>
public sealed class MediaProber(MediaOptions options, ProcessRunner? runner = null) : IMediaProber
{
    private readonly ProcessRunner _runner = runner ?? new ProcessRunner(TimeProvider.System);

    /// <summary>
    /// ffmpeg's idet over <see cref="IdetArguments.SampleFrames"/> frames, within the probe's timeout. A failed or
    /// timed-out pass is no verdict: the container's word stands (never a job failure: the encode will say if the source
    /// cannot be decoded).
    /// </summary>
    public async Task<VideoScan?> DetectScanAsync(string path, SourceInfo source, CancellationToken cancellationToken)
    {
        if (source.Video is not { } video)
        {
            return null;
        }

        var lines = new List<string>();
        var args = IdetArguments.Build(path, IdetArguments.StartFor(source.DurationSeconds));
        var result = await _runner.RunAsync(new ProcessSpec(options.FfmpegPath, args, options.ProbeTimeout), new ProcessIo
        {
            OnStderrLine = line =>
            {
                if (line.Contains("Parsed_idet", StringComparison.Ordinal))
                {
                    lines.Add(line);
                }

                return ValueTask.CompletedTask;
            },
        }, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var report = result.Succeeded ? IdetParser.Parse(lines) : null;
        return ScanDetector.Detect(video.FieldOrder, report);
    }

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

        var result = ToSourceInfo(analysis);
        if (result.Source?.Video is not { } video)
        {
            return result;
        }

        var (colour, error) = await ProbeColourAsync(path, timeout.Token);
        return error is not null
            ? new ProbeResult(null, error)
            : result with { Source = result.Source with { Video = video with { Colour = colour } } };
    }

    /// <summary>
    /// Transfer, primaries, bit depth and HDR side data of the first frame (decision 028): FFMpegCore's analysis reads
    /// neither frames nor side data, so this is one more ffprobe of one packet, parsed by <see cref="ColourProbe"/>.
    /// </summary>
    private async Task<(SourceColour? Colour, string? Error)> ProbeColourAsync(string path, CancellationToken cancellationToken)
    {
        var json = new System.Text.StringBuilder();
        var result = await _runner.RunAsync(new ProcessSpec(options.FfprobePath, ColourProbe.Arguments(path), options.ProbeTimeout) { QuitCommand = null }, line =>
        {
            json.Append(line).Append('\n');
            return ValueTask.CompletedTask;
        }, cancellationToken);
        if (!result.Succeeded)
        {
            return (null, result.Outcome == ProcessOutcome.TimedOut
                ? $"ffprobe did not read the video's colour within {options.ProbeTimeout.TotalSeconds:0} s"
                : "ffprobe could not read the video's colour: " + FirstLines(result.StderrTail));
        }

        try
        {
            return (ColourProbe.Parse(json.ToString()), null);
        }
        catch (FormatException ex)
        {
            return (null, ex.Message);
        }
    }

    internal static ProbeResult ToSourceInfo(IMediaAnalysis a)
    {
        // Cover art in audio files shows up as a one-frame video stream; it is not video to encode.
        var video = a.VideoStreams.FirstOrDefault(v => !(v.Disposition?.GetValueOrDefault("attached_pic") ?? false));
        var audioTracks = a.AudioStreams.Select((s, i) => AudioTrack(s, i)).ToList();
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
                video is null ? null : new VideoSourceInfo(video.CodecName ?? "unknown", video.Width!.Value, video.Height!.Value, fps, video.Rotation, sar)
                {
                    FieldOrder = ScanDetector.FromFfprobe(video.FieldOrder),
                    StreamSeconds = Math.Max(0, video.Duration.TotalSeconds),
                },
                audioTracks.FirstOrDefault())
            {
                AudioTracks = audioTracks,
                Subtitles = SubtitleStreams(a),
            },
            null);
    }

    /// <summary>One audio stream with what decision 029 labels it by: language and title tags, default and
    /// visual_impaired (audio description) dispositions.</summary>
    private static AudioSourceInfo AudioTrack(AudioStream s, int index) => new(s.CodecName ?? "unknown", s.Channels ?? 2, s.SampleRateHz ?? 48000)
    {
        Index = index,
        Language = s.Language ?? s.Tags?.GetValueOrDefault("language"),
        Title = s.Tags?.GetValueOrDefault("title") is { Length: > 0 } title ? title : null,
        IsDefault = s.Disposition?.GetValueOrDefault("default") ?? false,
        DescribesVideo = s.Disposition?.GetValueOrDefault("visual_impaired") ?? false,
    };

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
