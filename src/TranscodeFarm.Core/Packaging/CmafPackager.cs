using System.Globalization;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Packaging.Encryption;

namespace TranscodeFarm.Core.Packaging;

/// <summary>
/// Where packaged objects go (the worker: a bounded channel to its publisher). Each object's bytes are the sink's; a
/// media segment's are pooled, and a sink done with them may give them back with <see cref="PooledSegmentMemory.Release"/>.
/// </summary>
public interface ISegmentSink
{
    ValueTask WriteAsync(PackagedObject packaged, CancellationToken cancellationToken);
}

public sealed record PackagerOptions(double SegmentSeconds)
{
    /// <summary>Rendition names by track order (video first, as ffmpeg maps them); "track-N" where missing.</summary>
    public IReadOnlyList<string> TrackNames { get; init; } = [];

    /// <summary>Audio tracks' language, name and role by track order, for the manifests; null or missing: "und".</summary>
    public IReadOnlyList<Planning.AudioTrackLabel?> TrackLabels { get; init; } = [];

    /// <summary>Dynamic range of each video track by track order, as planned (decision 028); SDR where missing.</summary>
    public IReadOnlyList<Planning.DynamicRange> TrackRanges { get; init; } = [];

    /// <summary>How each track is encrypted (by representation id, "0", "1"...); null: clear.</summary>
    public Func<TrackInfo, int, TrackEncryption?> EncryptionFor { get; init; } = (_, _) => null;

    /// <summary>HLS whole-segment AES-128 key of a track (by index), or null.</summary>
    public Func<TrackInfo, int, byte[]?> WholeSegmentKeyFor { get; init; } = (_, _) => null;

    /// <summary>Measures the fingerprint side channel's cost (<see cref="CmafPackager.FingerprintElapsed"/>).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>
/// The packager: receives ffmpeg's multi-track fragmented MP4 from the demuxer, re-cuts every track into CMAF
/// segments on the segment grid, encrypts them if asked, and hands init and media segments to the sink as soon as
/// each is complete. Manifests are written from <see cref="Tracks"/> once the stream ends. A track of PNG frames is the
/// encode's fingerprint side channel: it is hashed into <see cref="Fingerprint"/>, never packaged or published.
/// </summary>
public sealed class CmafPackager(PackagerOptions options, ISegmentSink sink) : IDemuxHandler, IDisposable
{
    private readonly Dictionary<uint, TrackState> _states = [];
    private FingerprintTrackCollector? _fingerprint;
    private VideoFingerprint? _completedFingerprint;

    public IReadOnlyList<PackagedTrack> Tracks => _states.Values.Select(s => s.Track).ToList();

    /// <summary>The video fingerprint from the PNG side channel, once <see cref="CompleteAsync"/> has run; null without one.</summary>
    public VideoFingerprint? Fingerprint => _completedFingerprint;

    /// <summary>Time spent decoding and hashing the side channel's frames.</summary>
    public TimeSpan FingerprintElapsed => _fingerprint?.Elapsed ?? TimeSpan.Zero;

    public async ValueTask OnInitAsync(byte[] ftyp, Mp4Box moov, IReadOnlyList<TrackInfo> tracks, CancellationToken cancellationToken)
    {
        for (var i = 0; i < tracks.Count; i++)
        {
            var info = tracks[i];
            if (info.Kind == TrackKind.Other)
            {
                continue;
            }

            if (info.IsPng)
            {
                // The encode maps it after every rendition, so skipping it leaves the renditions' ids (their index) as they were.
                _fingerprint = _fingerprint is null ? new FingerprintTrackCollector(info, options.Time) : throw new Mp4FormatException("the stream has two fingerprint (png) tracks");
                continue;
            }

            var id = i.ToString(CultureInfo.InvariantCulture);
            var name = i < options.TrackNames.Count ? options.TrackNames[i] : $"track-{id}";
            var encryption = options.EncryptionFor(info, i);
            var encryptor = encryption is null ? null : new SampleEncryptor(info, encryption);
            var label = i < options.TrackLabels.Count ? options.TrackLabels[i] : null;
            var range = i < options.TrackRanges.Count ? options.TrackRanges[i] : default;
            var state = new TrackState(new PackagedTrack(id, name, info, encryption) { Range = range, Label = label }, new TrackSegmenter(info.Timescale, options.SegmentSeconds), encryptor)
            {
                WholeSegmentKey = options.WholeSegmentKeyFor(info, i),
            };
            _states[info.TrackId] = state;
            var init = CmafInitWriter.Write(moov, info, encryption, encryptor?.Pattern ?? (0, 0));
            await sink.WriteAsync(new PackagedObject(state.Track.InitFileName, PackagedKind.Init, init) { Track = state.Track }, cancellationToken);
        }
    }

    public async ValueTask OnSamplesAsync(TrackInfo track, IReadOnlyList<Mp4Sample> samples, CancellationToken cancellationToken)
    {
        if (!_states.TryGetValue(track.TrackId, out var state))
        {
            if (_fingerprint is { } fingerprint && fingerprint.TrackId == track.TrackId)
            {
                foreach (var sample in samples)
                {
                    fingerprint.Add(sample);
                }
            }

            return;
        }

        foreach (var sample in samples)
        {
            state.CountDuration(sample.Duration);
            if (state.Segmenter.StartsNewSegment(sample) && !state.Pending.IsEmpty)
            {
                await WriteSegmentAsync(state, cancellationToken);
            }

            Collect(state, sample);
        }
    }

    /// <summary>
    /// Copies the sample into its track's pending segment and encrypts it there: the demuxer's bytes are lent only for
    /// this call and stay clear (a handler before the packager may have read them).
    /// </summary>
    private static void Collect(TrackState state, Mp4Sample sample)
    {
        var pending = state.Pending;
        if (pending.IsEmpty)
        {
            var track = state.Track;
            pending.ClearLead = track.Encryption is { } e
                && (double)(sample.DecodeTime - state.FirstDecodeTime(sample.DecodeTime)) / track.Info.Timescale < e.ClearLeadSeconds;
        }

        var bytes = pending.Append(sample.Data.Span);
        ulong iv = 0;
        var firstSubsample = pending.Subsamples.Count;
        if (state.Encryptor is { } encryptor)
        {
            if (pending.ClearLead)
            {
                encryptor.Observe(bytes);
            }
            else
            {
                iv = encryptor.Encrypt(bytes, pending.Subsamples);
            }
        }

        pending.Add(new SegmentSample(sample.DecodeTime, sample.Duration, sample.CompositionOffset, sample.Flags, bytes.Length,
            iv, firstSubsample, pending.Subsamples.Count - firstSubsample));
    }

    /// <summary>Writes every track's last segment. Call once the demuxer has finished.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        foreach (var state in _states.Values)
        {
            if (!state.Pending.IsEmpty)
            {
                await WriteSegmentAsync(state, cancellationToken);
            }

            state.Track.TypicalSampleDuration = state.TypicalDuration;
        }

        _completedFingerprint = _fingerprint?.ToFingerprint();
    }

    private async ValueTask WriteSegmentAsync(TrackState state, CancellationToken cancellationToken)
    {
        var track = state.Track;
        var pending = state.Pending;
        var number = track.Segments.Count + 1;
        var start = pending.DecodeTime;
        var duration = pending.Duration;
        ReadOnlyMemory<byte> bytes = CmafSegmentWriter.Write(state.Builder, (uint)number, pending, state.Encryptor).Memory;
        pending.Reset();
        if (state.WholeSegmentKey is { } key)
        {
            var encrypted = SegmentAes128.Encrypt(bytes.Span, key, mediaSequence: number - 1);
            PooledSegmentMemory.Release(bytes);
            bytes = encrypted;
        }

        var name = $"seg-{track.Id}-{number:00000}.m4s";
        // The sink owns the bytes (a pooled buffer it may release, see PooledSegmentMemory): nothing here touches them again.
        await sink.WriteAsync(new PackagedObject(name, PackagedKind.Segment, bytes) { Track = track, SegmentNumber = number }, cancellationToken);
        track.Segments.Add(new PackagedSegment(number, name, start, duration, bytes.Length));
    }

    public void Dispose()
    {
        foreach (var s in _states.Values)
        {
            s.Encryptor?.Dispose();
            s.Pending.Dispose();
        }
    }

    private sealed class TrackState(PackagedTrack track, TrackSegmenter segmenter, SampleEncryptor? encryptor)
    {
        private readonly Dictionary<uint, int> _durations = [];
        private long? _first;

        public PackagedTrack Track { get; } = track;

        public TrackSegmenter Segmenter { get; } = segmenter;

        public SampleEncryptor? Encryptor { get; } = encryptor;

        public byte[]? WholeSegmentKey { get; init; }

        /// <summary>The boxes before a segment's mdat, reused for every segment of the track.</summary>
        public BoxBuilder Builder { get; } = new(16 << 10);

        /// <summary>The samples of the segment being collected, reused for every segment of the track.</summary>
        public PendingSegment Pending { get; } = new();

        public long TypicalDuration => _durations.Count == 0 ? 0 : _durations.MaxBy(d => d.Value).Key;

        public long FirstDecodeTime(long candidate) => _first ??= candidate;

        public void CountDuration(uint duration)
        {
            if (_durations.Count < 64 || _durations.ContainsKey(duration))
            {
                _durations[duration] = _durations.GetValueOrDefault(duration) + 1;
            }
        }
    }
}
