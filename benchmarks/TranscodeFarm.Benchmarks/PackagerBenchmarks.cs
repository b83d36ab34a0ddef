using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Reflection;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Encryption;

namespace TranscodeFarm.Benchmarks;

/// <summary>
/// The native CMAF packager on one core, over a 4 s 1080p30 H.264 (~6 Mbps) + AAC fragmented MP4 written with the
/// farm's movflags. The "MB/s" column is bytes handled per operation (10^6 bytes per MB) over the mean time:
/// Package* count the whole input stream, Encrypt* every byte of the track's samples (clear ranges included).
/// Issue goal: ≥ 1,000 MB/s for PackageCenc.
///   dotnet run -c Release --project benchmarks/TranscodeFarm.Benchmarks -- --filter '*Packager*' --job short
/// </summary>
[Config(typeof(ThroughputConfig))]
[MemoryDiagnoser]
public class PackagerBenchmarks
{
    /// <summary>Input chunk size: every box, sample and NAL unit may straddle buffer segments, as from a pipe.</summary>
    private const int ChunkBytes = 4096;

    private static readonly byte[] Key = Convert.FromHexString("00112233445566778899aabbccddeeff");
    private static readonly Guid KeyId = new("0123456789abcdef0123456789abcdef");

    private ReadOnlySequence<byte> _input;
    private PackagerInput.Demuxed _demuxed = null!;
    private SampleEncryptor _videoCenc = null!, _videoCbcs = null!, _audioCenc = null!, _audioCbcs = null!;
    private Aes _aes = null!;
    private byte[] _aesScratch = [];

    [GlobalSetup]
    public void Setup()
    {
        var bytes = PackagerInput.Bytes;
        _input = PackagerInput.Split(bytes, ChunkBytes);
        _demuxed = PackagerInput.Parsed;
        _videoCenc = new SampleEncryptor(_demuxed.Video, Encryption(EncryptionScheme.Cenc));
        _videoCbcs = new SampleEncryptor(_demuxed.Video, Encryption(EncryptionScheme.Cbcs));
        _audioCenc = new SampleEncryptor(_demuxed.Audio, Encryption(EncryptionScheme.Cenc));
        _audioCbcs = new SampleEncryptor(_demuxed.Audio, Encryption(EncryptionScheme.Cbcs));
        _aes = Aes.Create();
        _aes.Key = Key;
        _aesScratch = new byte[_demuxed.VideoSamples.Max(s => s.Length) + 16];
        Console.WriteLine($"// input {PackagerInput.Path}: {bytes.Length:N0} bytes in {(bytes.Length + ChunkBytes - 1) / ChunkBytes:N0} segments of {ChunkBytes} B; " +
            $"video {_demuxed.VideoSamples.Count} samples / {PackagerInput.VideoSampleBytes:N0} B, audio {_demuxed.AudioSamples.Count} samples / {PackagerInput.AudioSampleBytes:N0} B");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _videoCenc.Dispose();
        _videoCbcs.Dispose();
        _audioCenc.Dispose();
        _audioCbcs.Dispose();
        _aes.Dispose();
    }

    /// <summary>Demuxer only (sample copies out of the mdat), no packaging: the floor under the Package* rows.</summary>
    [Benchmark]
    [BytesPerOperation(ThroughputInput.Stream)]
    public Task<long> DemuxOnly() => RunAsync(new CountingHandler());

    [Benchmark]
    [BytesPerOperation(ThroughputInput.Stream)]
    public Task<long> PackageClear() => PackageAsync(null);

    [Benchmark]
    [BytesPerOperation(ThroughputInput.Stream)]
    public Task<long> PackageCenc() => PackageAsync(EncryptionScheme.Cenc);

    [Benchmark]
    [BytesPerOperation(ThroughputInput.Stream)]
    public Task<long> PackageCbcs() => PackageAsync(EncryptionScheme.Cbcs);

    /// <summary>A sink that never gives segment buffers back: each segment is then a new large-object-heap array.</summary>
    [Benchmark]
    [BytesPerOperation(ThroughputInput.Stream)]
    public Task<long> PackageCencUnreleased() => PackageAsync(EncryptionScheme.Cenc, release: false);

    /// <summary>In place, over the same buffers every time: headers stay clear, so the subsample map reads the same.</summary>
    [Benchmark]
    [BytesPerOperation(ThroughputInput.VideoSamples)]
    public int EncryptVideoCenc() => EncryptAll(_videoCenc, _demuxed.VideoSamples);

    [Benchmark]
    [BytesPerOperation(ThroughputInput.VideoSamples)]
    public int EncryptVideoCbcs() => EncryptAll(_videoCbcs, _demuxed.VideoSamples);

    /// <summary>Audio: full-sample encryption, no subsamples.</summary>
    [Benchmark]
    [BytesPerOperation(ThroughputInput.AudioSamples)]
    public int EncryptAudioCenc() => EncryptAll(_audioCenc, _demuxed.AudioSamples);

    [Benchmark]
    [BytesPerOperation(ThroughputInput.AudioSamples)]
    public int EncryptAudioCbcs() => EncryptAll(_audioCbcs, _demuxed.AudioSamples);

    /// <summary>Reference: one AES-ECB call per video sample over all its bytes, the cipher's own speed in .NET here.</summary>
    [Benchmark]
    [BytesPerOperation(ThroughputInput.VideoSamples)]
    public int AesEcbReference()
    {
        var n = 0;
        foreach (var sample in _demuxed.VideoSamples)
        {
            var whole = sample.Length & ~15;
            n += _aes.EncryptEcb(sample.AsSpan(0, whole), _aesScratch, PaddingMode.None);
        }

        return n;
    }

    private static int EncryptAll(SampleEncryptor encryptor, List<byte[]> samples)
    {
        var n = 0;
        foreach (var sample in samples)
        {
            n += encryptor.Encrypt(sample).Size;
        }

        return n;
    }

    private async Task<long> PackageAsync(EncryptionScheme? scheme, bool release = true)
    {
        var sink = new DiscardSink(release);
        var options = new PackagerOptions(4) { EncryptionFor = (_, _) => scheme is { } s ? Encryption(s) : null };
        using var packager = new CmafPackager(options, sink);
        await RunAsync(packager);
        await packager.CompleteAsync(CancellationToken.None);
        return sink.Bytes;
    }

    private async Task<long> RunAsync(IDemuxHandler handler)
    {
        var reader = PipeReader.Create(_input);
        await new FragmentedMp4Demuxer().RunAsync(reader, handler, CancellationToken.None);
        await reader.CompleteAsync();
        return _input.Length;
    }

    private static TrackEncryption Encryption(EncryptionScheme scheme) =>
        new(scheme, KeyId, Key, scheme == EncryptionScheme.Cenc ? new byte[8] : new byte[16], []);

    private sealed class DiscardSink(bool release) : ISegmentSink
    {
        public long Bytes { get; private set; }

        public ValueTask WriteAsync(PackagedObject packaged, CancellationToken cancellationToken)
        {
            Bytes += packaged.Bytes.Length;
            if (release)
            {
                PooledSegmentMemory.Release(packaged.Bytes); // done with it, as the worker's sink is once the file is written
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class CountingHandler : IDemuxHandler
    {
        public ValueTask OnInitAsync(byte[] ftyp, Mp4Box moov, IReadOnlyList<TrackInfo> tracks, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask OnSamplesAsync(TrackInfo track, IReadOnlyList<Mp4Sample> samples, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() => AddColumn(new ThroughputColumn(best: false), new ThroughputColumn(best: true));
    }
}

public enum ThroughputInput
{
    Stream,
    VideoSamples,
    AudioSamples,
}

/// <summary>What one operation of a benchmark handles, for the MB/s column.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BytesPerOperationAttribute(ThroughputInput input) : Attribute
{
    public ThroughputInput Input { get; } = input;
}

/// <summary>
/// MB/s (10^6 bytes per second) from the mean time of a benchmark marked with <see cref="BytesPerOperationAttribute"/>,
/// or with <paramref name="best"/> from its fastest iteration: on a shared machine the mean carries other people's load,
/// the best iteration is the closest to the code's own cost. It runs in BenchmarkDotNet's host process, which reads the
/// byte counts from the cached input itself.
/// </summary>
public sealed class ThroughputColumn(bool best) : IColumn
{
    public string Id => best ? "Throughput.MBps.Best" : "Throughput.MBps";

    public string ColumnName => best ? "MB/s best" : "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => best ? "Throughput over the fastest iteration's time per operation" : "Throughput: bytes handled per operation (10^6 per MB) over the mean time";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var attribute = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<BytesPerOperationAttribute>();
        if (attribute is null || summary[benchmarkCase]?.ResultStatistics is not { } stats || stats.Mean <= 0 || stats.Min <= 0)
        {
            return "-";
        }

        var bytes = attribute.Input switch
        {
            ThroughputInput.VideoSamples => PackagerInput.VideoSampleBytes,
            ThroughputInput.AudioSamples => PackagerInput.AudioSampleBytes,
            _ => PackagerInput.Bytes.Length,
        };
        return (bytes / ((best ? stats.Min : stats.Mean) / 1e9) / 1e6).ToString("N0", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

/// <summary>
/// The benchmark input, made once by ffmpeg and cached in /tmp: 4 s of testsrc2 1920x1080 at 30 fps, libx264 veryfast
/// at 6 Mbps with 2 s GOPs as the farm forces them, plus 128 kbps AAC, written with the farm's fragmented-MP4 flags.
/// </summary>
public static class PackagerInput
{
    public static readonly string Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "transcodefarm-bench", "packager-1080p30-6M-4s.mp4");

    private static readonly Lazy<byte[]> LazyBytes = new(Load);
    private static readonly Lazy<Demuxed> LazyParsed = new(() => Parse(LazyBytes.Value));

    public static byte[] Bytes => LazyBytes.Value;

    public static Demuxed Parsed => LazyParsed.Value;

    public static long VideoSampleBytes => Parsed.VideoSamples.Sum(s => (long)s.Length);

    public static long AudioSampleBytes => Parsed.AudioSamples.Sum(s => (long)s.Length);

    /// <summary>The bytes as a chain of <paramref name="chunk"/>-byte segments (copies, as a pipe's buffers would be).</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, int chunk)
    {
        Segment? first = null, last = null;
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            var memory = bytes.AsSpan(offset, Math.Min(chunk, bytes.Length - offset)).ToArray();
            if (last is null)
            {
                first = last = new Segment(memory, 0);
            }
            else
            {
                last = last.Append(memory);
            }
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private static byte[] Load()
    {
        if (!File.Exists(Path))
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var partial = Path + ".part";
            var psi = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardError = true };
            foreach (var a in new[]
            {
                "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30:duration=4",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=4",
                "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-b:v", "6000k", "-maxrate", "7800k", "-bufsize", "12000k",
                "-pix_fmt", "yuv420p", "-g", "60", "-keyint_min", "60", "-sc_threshold", "0", "-force_key_frames", "expr:gte(t,n_forced*2)",
                "-c:a", "aac", "-b:a", "128k", "-shortest",
                "-f", "mp4", "-movflags", "+empty_moov+default_base_moof+cmaf", "-frag_duration", "1000000", "file:" + partial,
            })
            {
                psi.ArgumentList.Add(a);
            }

            using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start ffmpeg");
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException("ffmpeg failed: " + stderr);
            }

            File.Move(partial, Path, overwrite: true);
        }

        return File.ReadAllBytes(Path);
    }

    private static Demuxed Parse(byte[] bytes)
    {
        var collector = new Collector();
        var reader = PipeReader.Create(new ReadOnlySequence<byte>(bytes));
        new FragmentedMp4Demuxer().RunAsync(reader, collector, CancellationToken.None).GetAwaiter().GetResult();
        var video = collector.Tracks.First(t => t.Kind == TrackKind.Video);
        var audio = collector.Tracks.First(t => t.Kind == TrackKind.Audio);
        return new Demuxed(video, audio, collector.Samples[video.TrackId], collector.Samples[audio.TrackId]);
    }

    public sealed record Demuxed(TrackInfo Video, TrackInfo Audio, List<byte[]> VideoSamples, List<byte[]> AudioSamples);

    private sealed class Collector : IDemuxHandler
    {
        public IReadOnlyList<TrackInfo> Tracks { get; private set; } = [];

        public Dictionary<uint, List<byte[]>> Samples { get; } = [];

        public ValueTask OnInitAsync(byte[] ftyp, Mp4Box moov, IReadOnlyList<TrackInfo> tracks, CancellationToken cancellationToken)
        {
            Tracks = tracks;
            foreach (var t in tracks)
            {
                Samples[t.TrackId] = [];
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask OnSamplesAsync(TrackInfo track, IReadOnlyList<Mp4Sample> samples, CancellationToken cancellationToken)
        {
            Samples[track.TrackId].AddRange(samples.Select(s => s.Data.ToArray()));
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
