using TranscodeFarm.Core.Caching.Traces;
using TranscodeFarm.Core.Profiles;

namespace TranscodeFarm.Core.Tests.Caching.Traces;

public class SegmentTraceGeneratorTests
{
    private static readonly SegmentTraceModel Small = new() { Titles = 50, Requests = 50_000, ConcurrentSessions = 100 };

    [Fact]
    public void The_same_seed_gives_the_same_trace_and_another_seed_another()
    {
        var a = SegmentTraceGenerator.Generate(Small);
        var b = SegmentTraceGenerator.Generate(Small);
        var c = SegmentTraceGenerator.Generate(Small with { Seed = 16 });

        Assert.Equal(a.Checksum(), b.Checksum());
        Assert.NotEqual(a.Checksum(), c.Checksum());
    }

    [Fact]
    public void The_default_rendition_bitrates_are_the_h264_cmaf_ladder()
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ffmpeg-profiles", "h264-cmaf.json"));
        var profile = ProfileParser.Parse(json, "h264-cmaf.json").Profile!;
        var model = new SegmentTraceModel();

        Assert.Equal(profile.Video.Select(v => v.BitrateKbps), model.RenditionKbps);
        Assert.Equal(profile.SegmentSeconds, model.SegmentSeconds);
    }

    [Fact]
    public void Sizes_are_the_bitrate_times_four_seconds_within_the_jitter_and_fixed_per_object()
    {
        var trace = SegmentTraceGenerator.Generate(Small);
        for (var i = 0; i < trace.Count; i++)
        {
            var rendition = trace.Keys[i] / Small.SegmentsPerTitle % Small.Renditions;
            var nominal = Small.RenditionKbps[rendition] * 1000.0 * 4 / 8;
            Assert.InRange(trace.Sizes[i], nominal * 0.75 - 1, nominal * 1.25);
            Assert.Equal(SegmentTraceGenerator.SizeOf(Small, trace.Keys[i]), trace.Sizes[i]);
        }
    }

    [Fact]
    public void Sessions_mostly_play_in_order_and_popular_titles_dominate()
    {
        var model = Small with { ConcurrentSessions = 1 }; // one viewer: consecutive requests are one session
        var trace = SegmentTraceGenerator.Generate(model);
        int next = 0, starts = 0, fromZero = 0;
        var perTitle = new int[model.Titles];
        for (var i = 1; i < trace.Count; i++)
        {
            var previous = trace.Keys[i - 1];
            var key = trace.Keys[i];
            perTitle[key / (model.SegmentsPerTitle * model.Renditions)]++;
            var sameTitle = previous / (model.SegmentsPerTitle * model.Renditions) == key / (model.SegmentsPerTitle * model.Renditions);
            if (sameTitle && key % model.SegmentsPerTitle == previous % model.SegmentsPerTitle + 1)
            {
                next++;
            }
            else
            {
                starts++;
                fromZero += key % model.SegmentsPerTitle == 0 ? 1 : 0;
            }
        }

        // Mean session of 40 segments (shortened by titles ending): about 1 request in 35 starts a session.
        Assert.InRange(starts / (double)trace.Count, 1 / 45.0, 1 / 25.0);
        Assert.InRange(fromZero / (double)starts, 0.75, 0.87); // 80% from the start, plus seeks that land on 0
        Assert.True(perTitle[0] > perTitle[10] && perTitle[10] > perTitle[49]);
    }
}
