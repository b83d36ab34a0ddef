using System.Globalization;
using System.IO.Pipelines;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Planning;
using TranscodeFarm.Core.Quality;
using TranscodeFarm.Media;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// The quality gate (decisions 012 and 024), riding the encode: <see cref="Start"/> launches one ffmpeg that reads the
/// encoder's output as the packager reads it (a copy through <see cref="GateRun.Input"/>) and decodes every video
/// rendition's keyframes and every audio rendition, so when the encode ends the gate is done too. Together with
/// <see cref="VerifyingSink"/> (every packaged sample proven to be the encoder's), nothing is decoded a second time.
/// </summary>
public sealed class QualityGate(ProcessRunner runner, MediaOptions options)
{
    public GateRun Start(EncodePlan plan, string workFolder, CancellationToken cancellationToken)
    {
        var video = plan.Video.Select((v, i) => new GateTrack(v.Name, i, Path.Combine(workFolder, $"gate-{i}.gray"), v.Range == DynamicRange.Sdr ? null : plan.HdrSource)).ToList();
        var audio = plan.Audio.Select((a, i) => new GateTrack(a.Name, plan.Video.Count + i, Path.Combine(workFolder, $"gate-{plan.Video.Count + i}.fp"),
            SourceReferencePath: a.SourceIndex > 0 ? SourceAudioPrintPath(workFolder, a.SourceIndex) : null)).ToList();
        var spec = new ProcessSpec(options.FfmpegPath, QualityGateArguments.Build(video, audio), options.EncodeTimeoutFor(plan.SourceDurationSeconds))
        {
            QuitCommand = null, // stdin is the media: a stop ends the feed instead
        };
        return new GateRun(runner, spec, video, audio, cancellationToken);
    }

    /// <summary>Where the encode writes the Chromaprint of source audio track N (N &gt; 0; track 0's is the fingerprint's).</summary>
    public static string SourceAudioPrintPath(string workFolder, int sourceIndex) =>
        Path.Combine(workFolder, string.Create(CultureInfo.InvariantCulture, $"source-a{sourceIndex}.fp"));

    /// <summary>One line for the job's error: the renditions that failed and why.</summary>
    public static string Describe(IEnumerable<RenditionVerdict> failed) =>
        "quality gate: " + string.Join("; ", failed.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Rendition}: {v.Problem}")));
}

/// <summary>One attempt's gate process, fed while the encode runs.</summary>
public sealed class GateRun : IAsyncDisposable
{
    /// <summary>How far the gate may fall behind the packager before the copy waits (keyframe decoding is far faster).</summary>
    private const long FeedPauseBytes = 8L << 20;

    private readonly Pipe _feed = new(new PipeOptions(pauseWriterThreshold: FeedPauseBytes, resumeWriterThreshold: FeedPauseBytes / 2));
    private readonly CancellationTokenSource _stop;
    private readonly IReadOnlyList<GateTrack> _video;
    private readonly IReadOnlyList<GateTrack> _audio;
    private readonly List<string> _errors = [];
    private readonly Task<ProcessResult> _process;

    internal GateRun(ProcessRunner runner, ProcessSpec spec, IReadOnlyList<GateTrack> video, IReadOnlyList<GateTrack> audio, CancellationToken cancellationToken)
    {
        _video = video;
        _audio = audio;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Input = _feed.Writer.AsStream(leaveOpen: true);
        _process = runner.RunAsync(spec, new ProcessIo
        {
            StdinProducer = FeedAsync,
            OnStderrLine = line =>
            {
                // At -loglevel error a clean stream prints nothing: any line is a decode error.
                lock (_errors)
                {
                    if (_errors.Count < 5 && line.Length > 0)
                    {
                        _errors.Add(line);
                    }
                }

                return ValueTask.CompletedTask;
            },
        }, _stop.Token);
    }

    /// <summary>Where the encoder's output is copied as it is read. Writes never fail: once the gate stops reading, they are dropped.</summary>
    public Stream Input { get; }

    /// <summary>The encoder's output has ended (or packaging stopped): the gate decodes what it has and exits.</summary>
    public ValueTask CompleteInputAsync() => _feed.Writer.CompleteAsync();

    /// <summary>Waits for the gate's decode and judges every rendition against the source's fingerprints.</summary>
    public async Task<IReadOnlyList<RenditionVerdict>> FinishAsync(
        IReadOnlyList<PackagedTrack> tracks, SampleLedger ledger, VideoFingerprint? sourceVideo, AudioFingerprint? sourceAudio, CancellationToken cancellationToken)
    {
        await CompleteInputAsync();
        var result = await _process.WaitAsync(cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        string[] errors;
        lock (_errors)
        {
            errors = [.. _errors];
        }

        if (!result.Succeeded || errors.Length > 0)
        {
            var what = result.Succeeded ? "decode errors" : $"the decode failed ({result.Outcome}, exit {result.ExitCode})";
            return [new RenditionVerdict("ladder", 0, 0, $"{what} while decoding the renditions: {string.Join(" | ", errors.DefaultIfEmpty(result.StderrTail))}", "decode")];
        }

        var verdicts = new List<RenditionVerdict>();
        foreach (var v in _video)
        {
            var track = tracks.FirstOrDefault(t => t.Id == v.StreamIndex.ToString(CultureInfo.InvariantCulture));
            var times = track is null ? [] : ledger.SyncTimes(track.Info.TrackId);
            var hashes = await ReadKeyframesAsync(v.OutputPath, cancellationToken);
            if (hashes.Count < times.Count)
            {
                verdicts.Add(new RenditionVerdict(v.Name, 0, 0, $"only {hashes.Count} of its {times.Count} keyframes decode", "decode"));
                continue;
            }

            var keyframes = times.Select((t, i) => (t, hashes[i])).ToList();
            verdicts.Add(sourceVideo is { Count: > 0 }
                ? KeyframeCheck.Compare(v.Name, sourceVideo, keyframes, track?.DurationSeconds ?? 0)
                : new RenditionVerdict(v.Name, 0, 0, keyframes.Count == 0 ? "the rendition decodes to no picture" : null, keyframes.Count == 0 ? "corrupt" : null));
        }

        foreach (var a in _audio)
        {
            var rendition = await ReadChromaprintAsync(a.OutputPath, cancellationToken);
            // Each rendition against the source track it was made from: a French track is not held against the English one.
            var reference = a.SourceReferencePath is null ? sourceAudio : sourceAudio is null ? null : await ReadChromaprintAsync(a.SourceReferencePath, cancellationToken);
            verdicts.Add((reference, rendition) switch
            {
                (_, null) => new RenditionVerdict(a.Name, 0, 0, "the rendition decodes to no sound", "audio"),
                ({ } s, { } r) => AudioRenditionCheck.Compare(a.Name, s, r),
                _ => new RenditionVerdict(a.Name, 0, 0, null),
            });
        }

        return verdicts;
    }

    private static async Task<AudioFingerprint?> ReadChromaprintAsync(string path, CancellationToken cancellationToken) =>
        File.Exists(path) ? AudioFingerprint.ParseChromaprintRaw(await File.ReadAllBytesAsync(path, cancellationToken)) : null;

    private async Task FeedAsync(Stream stdin, CancellationToken cancellationToken)
    {
        try
        {
            await _feed.Reader.CopyToAsync(stdin, cancellationToken);
        }
        finally
        {
            // From here on the packager's copies are dropped, never waited on.
            await _feed.Reader.CompleteAsync();
        }
    }

    private static async Task<List<FrameHashResult>> ReadKeyframesAsync(string path, CancellationToken cancellationToken)
    {
        var hashes = new List<FrameHashResult>();
        if (!File.Exists(path))
        {
            return hashes;
        }

        const int size = FingerprintArguments.FrameSize * FingerprintArguments.FrameSize;
        var buffer = new byte[size];
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        while (await file.ReadAtLeastAsync(buffer, size, throwOnEndOfStream: false, cancellationToken) == size)
        {
            hashes.Add(FrameHash.Compute(buffer, FingerprintArguments.FrameSize, FingerprintArguments.FrameSize));
        }

        return hashes;
    }

    public async ValueTask DisposeAsync()
    {
        await CompleteInputAsync();
        await _stop.CancelAsync();
        await ((Task)_process).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        foreach (var path in _video.Concat(_audio).SelectMany(t => new[] { t.OutputPath, t.SourceReferencePath }).OfType<string>())
        {
            File.Delete(path);
        }
    }
}
