using System.Globalization;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Planning;
using TranscodeFarm.Media;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// The quality gate before publish (decision 012): one ffmpeg process decodes every rendition of the encode's ladder
/// file once; a decode error, or a rendition whose picture (or sound) does not follow the source's fingerprint, fails
/// the job before anything is published.
/// </summary>
public sealed class QualityGate(ProcessRunner runner, MediaOptions options)
{
    /// <param name="ladderPath">The encode's fragmented MP4 as ffmpeg wrote it: renditions in plan order, video first.</param>
    /// <returns>Every rendition's verdict; a decode failure is one verdict for the whole ladder.</returns>
    public async Task<IReadOnlyList<RenditionVerdict>> CheckAsync(
        string ladderPath,
        string workFolder,
        EncodePlan plan,
        VideoFingerprint? sourceVideo,
        AudioFingerprint? sourceAudio,
        CancellationToken cancellationToken)
    {
        var video = plan.Video.Select((v, i) => new GateTrack(v.Name, i, Path.Combine(workFolder, $"gate-{i}.gray"))).ToList();
        var audio = plan.Audio.Select((a, i) => new GateTrack(a.Name, plan.Video.Count + i, Path.Combine(workFolder, $"gate-{plan.Video.Count + i}.fp"))).ToList();
        var errors = new List<string>();
        var result = await runner.RunAsync(
            new ProcessSpec(options.FfmpegPath, QualityGateArguments.Build(ladderPath, video, audio), options.EncodeTimeoutFor(plan.SourceDurationSeconds)),
            new ProcessIo
            {
                OnStderrLine = line =>
                {
                    if (errors.Count < 5 && line.Length > 0)
                    {
                        errors.Add(line);
                    }

                    return ValueTask.CompletedTask;
                },
            },
            cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (!result.Succeeded || errors.Count > 0)
        {
            // At -loglevel error a clean stream prints nothing: any line is a decode error.
            var what = result.Succeeded ? "decode errors" : $"the decode failed ({result.Outcome}, exit {result.ExitCode})";
            return [new RenditionVerdict("ladder", 0, 0, $"{what} while decoding the renditions: {string.Join(" | ", errors.DefaultIfEmpty(result.StderrTail))}", "decode")];
        }

        var verdicts = new List<RenditionVerdict>();
        var origin = sourceVideo is { Count: > 0 } ? sourceVideo.Frames[0].TimeSeconds : 0;
        foreach (var v in video)
        {
            var frames = await ReadFramesAsync(v.OutputPath, origin, cancellationToken);
            verdicts.Add(sourceVideo is { Count: > 0 }
                ? RenditionCheck.Compare(v.Name, sourceVideo, frames)
                : new RenditionVerdict(v.Name, 0, 0, frames.Count == 0 ? "the rendition decodes to no picture" : null, frames.Count == 0 ? "corrupt" : null));
        }

        foreach (var a in audio)
        {
            var rendition = File.Exists(a.OutputPath) ? AudioFingerprint.ParseChromaprintRaw(await File.ReadAllBytesAsync(a.OutputPath, cancellationToken)) : null;
            verdicts.Add((sourceAudio, rendition) switch
            {
                (_, null) => new RenditionVerdict(a.Name, 0, 0, "the rendition decodes to no sound", "audio"),
                ({ } s, { } r) => AudioRenditionCheck.Compare(a.Name, s, r),
                _ => new RenditionVerdict(a.Name, 0, 0, null),
            });
        }

        return verdicts;
    }

    /// <summary>rawvideo carries no times: the fps filter emits one frame per interval from the track's start.</summary>
    private static async Task<VideoFingerprint> ReadFramesAsync(string path, double origin, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return VideoFingerprint.Empty;
        }

        const int size = FingerprintArguments.FrameSize * FingerprintArguments.FrameSize;
        var frames = new List<FingerprintFrame>();
        var buffer = new byte[size];
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        while (await file.ReadAtLeastAsync(buffer, size, throwOnEndOfStream: false, cancellationToken) == size)
        {
            var hash = FrameHash.Compute(buffer, FingerprintArguments.FrameSize, FingerprintArguments.FrameSize);
            frames.Add(new FingerprintFrame(origin + frames.Count / FingerprintArguments.FramesPerSecond, hash.Hash, hash.Quality));
        }

        return new VideoFingerprint(frames);
    }

    /// <summary>One line for the job's error: the renditions that failed and why.</summary>
    public static string Describe(IEnumerable<RenditionVerdict> failed) =>
        "quality gate: " + string.Join("; ", failed.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Rendition}: {v.Problem}")));
}
