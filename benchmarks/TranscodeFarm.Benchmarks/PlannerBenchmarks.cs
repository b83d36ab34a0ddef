using BenchmarkDotNet.Attributes;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Planning;
using TranscodeFarm.Core.Profiles;

namespace TranscodeFarm.Benchmarks;

/// <summary>Planning and argument building run once per job: they must stay negligible next to ffmpeg.</summary>
[MemoryDiagnoser]
public class PlannerBenchmarks
{
    private LadderProfile _profile = null!;
    private SourceInfo _source = null!;
    private EncodePlan _plan = null!;

    [GlobalSetup]
    public void Setup()
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ffmpeg-profiles", "h264-cmaf.json"));
        _profile = ProfileParser.Parse(json, "h264-cmaf.json").Profile!;
        _source = new SourceInfo("mov", 600, new VideoSourceInfo("h264", 1920, 1080, 59.94), new AudioSourceInfo("aac", 2, 48000));
        _plan = LadderPlanner.Plan(_profile, _source).Plan!;
    }

    [Benchmark]
    public EncodePlan? PlanLadder() => LadderPlanner.Plan(_profile, _source).Plan;

    [Benchmark]
    public IReadOnlyList<string> BuildArguments() => EncodeArgumentBuilder.Build(_plan, "/data/work/source.mp4", "/data/work/out");

    [Benchmark]
    public ProfileParseResult ParseProfile() => ProfileParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ffmpeg-profiles", "h264-cmaf.json")), "p");
}
