using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Media;

public sealed record MediaFingerprint(VideoFingerprint Video, AudioFingerprint? Audio);

/// <summary>
/// `transcodefarm fingerprint`: decodes a file once with ffmpeg and returns its video fingerprint (a perceptual hash of
/// 2 frames per second) and its audio fingerprint (Chromaprint). Frames are hashed as they arrive on stdout.
/// </summary>
public sealed class FingerprintExtractor(ProcessRunner runner, MediaOptions options, MediaProber prober)
{
    /// <summary>Skip the loop filter and non-reference frames while decoding (<see cref="FingerprintArguments.FastDecodeOptions"/>);
    /// null: <see cref="MediaOptions.FingerprintFastDecode"/>.</summary>
    public bool? FastDecode { get; init; }

    /// <param name="fastDecode">Overrides <see cref="FastDecode"/> for this file (a re-index decodes fully, as the encode does).</param>
    public async Task<(MediaFingerprint? Fingerprint, string? Error)> ExtractAsync(string path, CancellationToken cancellationToken, bool? fastDecode = null)
    {
        var probe = await prober.ProbeAsync(path, cancellationToken);
        if (probe.Source is not { } source)
        {
            return (null, probe.Error ?? "ffprobe failed");
        }

        var work = Directory.CreateTempSubdirectory("transcodefarm-fingerprint-");
        try
        {
            var chromaprint = source.Audio is null ? null : Path.Combine(work.FullName, "audio.fp");
            var frames = new List<FingerprintFrame>();
            var args = FingerprintArguments.Build(path, source.Video is not null, chromaprint, source.Video?.Colour is { IsHdr: true } hdr ? hdr : null,
                fastDecode ?? FastDecode ?? options.FingerprintFastDecode);
            var frameBytes = FingerprintArguments.FrameSize * FingerprintArguments.FrameSize;
            var result = await runner.RunAsync(new ProcessSpec(options.FfmpegPath, args, options.EncodeTimeoutFor(source.DurationSeconds)), new ProcessIo
            {
                StdoutConsumer = source.Video is null ? null : async (stdout, ct) =>
                {
                    var frame = new byte[frameBytes];
                    while (true)
                    {
                        var read = await stdout.ReadAtLeastAsync(frame, frameBytes, throwOnEndOfStream: false, ct);
                        if (read < frameBytes)
                        {
                            return;
                        }

                        var hash = FrameHash.Compute(frame, FingerprintArguments.FrameSize, FingerprintArguments.FrameSize);
                        frames.Add(FingerprintFrame.From(frames.Count / FingerprintArguments.FramesPerSecond, hash));
                    }
                },
            }, cancellationToken);
            if (!result.Succeeded)
            {
                return (null, $"ffmpeg could not decode the file ({result.Outcome}, exit {result.ExitCode}): {result.StderrTail}{result.ConsumerError?.Message}");
            }

            var audio = chromaprint is not null && File.Exists(chromaprint)
                ? AudioFingerprint.ParseChromaprintRaw(await File.ReadAllBytesAsync(chromaprint, cancellationToken))
                : null;
            return (new MediaFingerprint(new VideoFingerprint(frames), audio), null);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
