using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>Drop one clip into a real farm and check what it published, with ffprobe and the manifest parsers.</summary>
[Collection(SharedFarmCollection.Name)]
public sealed class LadderOutputTests(SharedFarm shared)
{
    private const double FrameSeconds = 1.0 / 30;
    private static Task<JobRecord>? _job;
    private FarmProcess Farm => shared.Farm;

    internal static Task<JobRecord> LadderJobAsync(FarmProcess farm) => _job ??= DropAsync(farm);

    private static async Task<JobRecord> DropAsync(FarmProcess farm)
    {
        farm.Drop(await TestMedia.ClipAsync(320, 240, 6), "ladder source.mp4");
        return await farm.WaitForJobAsync("ladder source.mp4");
    }

    private string AssetFolder(JobRecord job) => Path.Combine(Farm.StoreFolder, job.Outputs!.ObjectPrefix);

    [Fact]
    public async Task Job_succeeds_and_the_source_moves_to_done()
    {
        var job = await LadderJobAsync(Farm);
        Assert.True(job.State == JobState.Succeeded, job.Error + Farm.Output);
        await FarmProcess.WaitForFileAsync(Path.Combine(Farm.DropFolder, "done", "ladder source.mp4"));
        Assert.Equal(3, job.Outputs!.Renditions.Count);
    }

    [Fact]
    public async Task Worker_metrics_count_jobs_stages_and_queue_depth()
    {
        await LadderJobAsync(Farm);
        var metrics = await Farm.MetricsAsync();
        Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_jobs_finished_total{outcome=\"succeeded\"}") >= 1, metrics);
        Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_stage_duration_seconds_count{stage=\"encode\"}") >= 1);
        Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_encoded_media_seconds_total") >= 6);
        Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_published_bytes_total") > 0);
        Assert.Contains("transcodefarm_queue_jobs{state=\"queued\"}", metrics);
    }

    [Fact]
    public async Task Master_playlist_bandwidth_is_the_measured_peak_segment_rate()
    {
        var job = await LadderJobAsync(Farm);
        var folder = AssetFolder(job);
        var master = HlsParser.ParseMaster(await File.ReadAllTextAsync(Path.Combine(folder, OutputLayout.HlsMaster)));
        var variant = master.Variants[0];
        var audioUri = Assert.Single(master.Media).Uri!;
        // RFC 8216: BANDWIDTH is at least the peak segment bit rate of the variant plus its audio; measure it from the files.
        var peak = await PeakBitrateAsync(folder, variant.Uri) + await PeakBitrateAsync(folder, audioUri);
        Assert.InRange(variant.Bandwidth!.Value, peak - 10, peak + 10);
        var average = long.Parse(variant.Attributes["AVERAGE-BANDWIDTH"]);
        Assert.InRange(average, 100_000, variant.Bandwidth!.Value);
    }

    private static async Task<long> PeakBitrateAsync(string folder, string playlist)
    {
        // RFC 8216 §4.3.4.2: the peak over runs of contiguous segments lasting at least half the target duration.
        var media = HlsParser.ParseMedia(await File.ReadAllTextAsync(Path.Combine(folder, playlist)));
        var sizes = media.Segments.Select(s => new FileInfo(Path.Combine(folder, s.Uri)).Length).ToList();
        var minimum = media.Segments.Max(s => s.Duration) / 2;
        double peak = 0;
        for (var i = 0; i < sizes.Count; i++)
        {
            double bytes = 0, seconds = 0;
            for (var j = i; j < sizes.Count && seconds < minimum; j++)
            {
                bytes += sizes[j];
                seconds += media.Segments[j].Duration;
            }

            if (seconds >= minimum)
            {
                peak = Math.Max(peak, bytes * 8 / seconds);
            }
        }

        return (long)Math.Ceiling(peak);
    }

    [Fact]
    public async Task Mpd_has_the_planned_representations_with_real_codecs_and_sizes()
    {
        var job = await LadderJobAsync(Farm);
        var folder = AssetFolder(job);
        var mpd = DashParser.Parse(await File.ReadAllTextAsync(Path.Combine(folder, OutputLayout.DashManifest)));
        var video = mpd.Representations.Where(r => r.ContentType == "video").ToList();
        var audio = Assert.Single(mpd.Representations, r => r.ContentType == "audio");
        Assert.Equal([(320, 240), (192, 144)], video.Select(v => (v.Width!.Value, v.Height!.Value)));
        Assert.All(video, v => Assert.StartsWith("avc1.", v.Codecs));
        Assert.Equal("mp4a.40.2", audio.Codecs);
        Assert.Equal(6.0, mpd.DurationSeconds!.Value, 1);

        foreach (var v in video)
        {
            var info = await Segments.StreamInfoAsync(Path.Combine(folder, v.Initialization), Path.Combine(folder, v.Segments[0]));
            Assert.Equal("h264", info["codec_name"]);
            Assert.Equal(v.Width.ToString(), info["width"]);
            Assert.Equal(v.Height.ToString(), info["height"]);
        }

        var a = await Segments.StreamInfoAsync(Path.Combine(folder, audio.Initialization), Path.Combine(folder, audio.Segments[0]));
        Assert.Equal(("aac", "audio", "1"), (a["codec_name"], a["codec_type"], a["channels"]));
    }

    [Fact]
    public async Task Every_video_segment_starts_on_a_keyframe_at_the_same_time_in_every_rendition()
    {
        var job = await LadderJobAsync(Farm);
        var folder = AssetFolder(job);
        var mpd = DashParser.Parse(await File.ReadAllTextAsync(Path.Combine(folder, OutputLayout.DashManifest)));
        var starts = new List<List<double>>();
        foreach (var v in mpd.Representations.Where(r => r.ContentType == "video"))
        {
            var times = new List<double>();
            foreach (var segment in v.Segments)
            {
                var first = await Segments.FirstPacketAsync(Path.Combine(folder, v.Initialization), Path.Combine(folder, segment));
                Assert.True(first.IsKeyframe, $"{segment} does not start on a keyframe");
                times.Add(first.PtsTime);
            }

            starts.Add(times);
        }

        Assert.Equal(2, starts.Count);
        Assert.Equal(3, starts[0].Count);
        Assert.Equal(starts[0].Count, starts[1].Count);
        for (var i = 0; i < starts[0].Count; i++)
        {
            Assert.True(Math.Abs(starts[0][i] - starts[1][i]) < FrameSeconds / 2, $"segment {i} starts at {starts[0][i]} and {starts[1][i]}");
            if (i > 0)
            {
                // Segment duration (test-tiny: 2 s) within one frame, measured on the media itself.
                Assert.True(Math.Abs(starts[0][i] - starts[0][i - 1] - 2.0) <= FrameSeconds, $"segment {i - 1} lasts {starts[0][i] - starts[0][i - 1]}");
            }
        }
    }

    [Fact]
    public async Task Hls_playlists_are_valid_vod_playlists()
    {
        var job = await LadderJobAsync(Farm);
        var folder = AssetFolder(job);
        var manifests = Directory.EnumerateFiles(folder).Where(f => OutputLayout.IsManifest(Path.GetFileName(f)))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
        var check = ManifestCheck.Check(manifests);
        Assert.True(check.Ok, string.Join("\n", check.Problems));

        var master = HlsParser.ParseMaster(manifests[OutputLayout.HlsMaster]);
        Assert.True(master.IndependentSegments);
        Assert.Equal(["320x240", "192x144"], master.Variants.Select(v => v.Resolution));
        Assert.All(master.Variants, v => Assert.Contains("mp4a.40.2", v.Codecs));
        Assert.All(master.Variants, v => Assert.True(v.Bandwidth > 0));
        foreach (var variant in master.Variants)
        {
            var media = HlsParser.ParseMedia(manifests[variant.Uri]);
            Assert.Equal("VOD", media.PlaylistType);
            Assert.NotNull(media.Version);
            Assert.True(media.TargetDuration >= media.Segments.Max(s => Math.Round(s.Duration)));
            Assert.All(media.Segments.SkipLast(1), s => Assert.InRange(s.Duration, 2.0 - FrameSeconds, 2.0 + FrameSeconds));
            Assert.All(check.ReferencedFiles, f => Assert.True(File.Exists(Path.Combine(folder, f)), f));
        }
    }
}
