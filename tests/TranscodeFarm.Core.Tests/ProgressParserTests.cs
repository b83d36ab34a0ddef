using TranscodeFarm.Core.Ffmpeg;

namespace TranscodeFarm.Core.Tests;

public class ProgressParserTests
{
    [Fact]
    public void Emits_a_snapshot_per_block()
    {
        var parser = new ProgressParser();
        string[] lines =
        [
            "frame=120", "fps=60.00", "stream_0_0_q=23.0", "bitrate=N/A", "total_size=N/A",
            "out_time_us=4000000", "out_time_ms=4000000", "out_time=00:00:04.000000", "dup_frames=0", "drop_frames=0",
            "speed=2.01x", "progress=continue",
            "frame=300", "out_time_us=10000000", "speed=N/A", "progress=end",
        ];
        var snapshots = lines.Select(l => parser.Feed(l)).OfType<FfmpegProgress>().ToList();
        Assert.Equal(2, snapshots.Count);
        Assert.Equal(TimeSpan.FromSeconds(4), snapshots[0].OutTime);
        Assert.Equal(2.01, snapshots[0].Speed);
        Assert.Equal(120, snapshots[0].Frame);
        Assert.False(snapshots[0].IsEnd);
        Assert.Equal(0.4, snapshots[0].Fraction(10), 3);
        Assert.True(snapshots[1].IsEnd);
        Assert.Null(snapshots[1].Speed);
        Assert.Equal(1, snapshots[1].Fraction(10));
    }

    [Fact]
    public void Ignores_garbage_and_negative_times()
    {
        var parser = new ProgressParser();
        Assert.Null(parser.Feed("no equals sign"));
        Assert.Null(parser.Feed("out_time_us=-9223372036854775807"));
        Assert.Equal(TimeSpan.Zero, parser.Feed("progress=continue")!.OutTime);
    }
}
