using BenchmarkDotNet.Attributes;
using TranscodeFarm.Core.Ffmpeg;

namespace TranscodeFarm.Benchmarks;

/// <summary>ffmpeg writes a 12-line progress block every 0.5 s per job; parsing must not allocate per line.</summary>
[MemoryDiagnoser]
public class ProgressParserBenchmarks
{
    private static readonly string[] Block =
    [
        "frame=120", "fps=60.00", "stream_0_0_q=23.0", "bitrate=N/A", "total_size=N/A", "out_time_us=4000000",
        "out_time_ms=4000000", "out_time=00:00:04.000000", "dup_frames=0", "drop_frames=0", "speed=2.01x", "progress=continue",
    ];

    private readonly ProgressParser _parser = new();

    [Benchmark]
    public FfmpegProgress? ParseBlock()
    {
        FfmpegProgress? last = null;
        foreach (var line in Block)
        {
            last = _parser.Feed(line) ?? last;
        }

        return last;
    }
}
