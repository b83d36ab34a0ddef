using System.Net;
using System.Text.Json;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// Issue 6: the ladder encode's one decode of the source also yields the content fingerprint, published with the
/// asset, and it is the fingerprint `transcodefarm fingerprint` computes from the same file on its own.
/// </summary>
[Collection(SharedFarmCollection.Name)]
public sealed class EncodeFingerprintTests(SharedFarm shared)
{
    private FarmProcess Farm => shared.Farm;

    [Fact]
    public async Task A_finished_job_publishes_the_fingerprint_of_its_source()
    {
        var job = await LadderOutputTests.LadderJobAsync(Farm);
        Assert.True(job.Outputs is not null, job.Error + Farm.Output);
        var folder = Path.Combine(Farm.StoreFolder, job.Outputs.ObjectPrefix);

        var video = VideoFingerprint.FromBytes(await File.ReadAllBytesAsync(Path.Combine(folder, "fingerprint.bin")));
        Assert.InRange(video.Count, 11, 13); // 6 s of source at 2 frames a second
        Assert.Equal(0.5, video.MedianIntervalSeconds, 3);
        Assert.True(video.UsableCount >= 10, $"{video.UsableCount} usable frames");

        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, "fingerprint.json")));
        var fromJson = json.RootElement.GetProperty("video").Deserialize<VideoFingerprintJson>(JsonSerializerOptions.Web)!.ToFingerprint();
        Assert.Equal(video.Frames, fromJson.Frames);
        var audio = json.RootElement.GetProperty("audio");
        var chromaprint = AudioFingerprint.ParseChromaprintRaw(await File.ReadAllBytesAsync(Path.Combine(folder, "audio.fp")));
        Assert.True(chromaprint.Count > 10, $"{chromaprint.Count} Chromaprint items");
        Assert.Equal(chromaprint.Count, audio.GetProperty("items").GetInt32());

        // The standalone pass over the same source: found at offset ~0 by the index, and in fact hash for hash the same.
        var standalone = await StandaloneAsync(await TestMedia.ClipAsync(320, 240, 6));
        using var index = new FingerprintIndex();
        index.Add("asset", video);
        var match = Assert.Single(index.Query(standalone));
        Assert.InRange(match.OffsetSeconds, -0.05, 0.05); // duplicates at offset 0 (issue 17)
        Assert.True(match.MatchedSeconds >= 4, $"matched {match.MatchedSeconds} s");
        Assert.Equal(standalone.Frames.Select(f => f.Hash), video.Frames.Select(f => f.Hash));
        Assert.Equal(standalone.Frames.Select(f => f.CentreHash), video.Frames.Select(f => f.CentreHash)); // stored since v2
        Assert.True(video.HasCentreHashes);
    }

    /// <summary>
    /// Issue 17: the standalone extractor decodes fast by default (no loop filter, no non-reference frames). On a source
    /// with B-frames and deblocking (x264 veryfast, unlike the ultrafast test clips) its fingerprint still matches the
    /// encode's (every frame decoded) as a duplicate at offset 0 ± 0.05 s.
    /// </summary>
    [Fact]
    public async Task The_fast_standalone_fingerprint_matches_the_encodes_as_a_duplicate_at_offset_zero()
    {
        var source = Path.Combine(Directory.CreateTempSubdirectory("transcodefarm-fastfp-").FullName, "bframes.mp4");
        await Tools.CheckedFfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=8", "-f", "lavfi", "-i", "sine=frequency=440:beep_factor=4:sample_rate=48000:duration=8",
            "-c:v", "libx264", "-preset", "veryfast", "-bf", "3", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", source);
        Farm.Drop(source, "bframes.mp4");
        var job = await Farm.WaitForJobAsync("bframes.mp4");
        Assert.True(job.Outputs is not null, job.Error + Farm.Output);
        var encoded = VideoFingerprint.FromBytes(await File.ReadAllBytesAsync(Path.Combine(Farm.StoreFolder, job.Outputs.ObjectPrefix, "fingerprint.bin")));

        var standalone = await StandaloneAsync(source);
        using var index = new FingerprintIndex();
        index.Add("asset", encoded);
        var match = Assert.Single(index.Query(standalone));
        Assert.InRange(match.OffsetSeconds, -0.05, 0.05);
        // Frames sampled next to a skipped B-frame are a frame or two earlier: on testsrc2's fast motion ~70% of them stay
        // within the match distance (measured 0.69), enough for the duplicate, not for identical hashes.
        var kind = MatchKinds.Of(new ContentMatch("asset", match.Score, match.OffsetSeconds, match.MatchedSeconds, MatchSource.Video, null), 8, 8, isReference: false, MatchKinds.DefaultCoverage);
        Assert.Equal(MatchKinds.Duplicate, kind);
    }

    [Fact]
    public async Task Fingerprint_files_are_served_by_the_edge_as_json_and_bytes()
    {
        var job = await LadderOutputTests.LadderJobAsync(Farm);
        foreach (var (file, type) in new[] { ("fingerprint.json", "application/json"), ("fingerprint.bin", "application/octet-stream"), ("audio.fp", "application/octet-stream") })
        {
            using var response = await Farm.Http.GetAsync(new Uri($"{Farm.AssetPath(job.Outputs!.AssetId)}{file}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        }
    }

    [Fact]
    public async Task Worker_metrics_count_fingerprint_time_and_frames()
    {
        await LadderOutputTests.LadderJobAsync(Farm);
        var metrics = await Farm.MetricsAsync();
        Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_fingerprint_seconds_count") >= 1, metrics);
        Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_fingerprint_frames_total") >= 11, metrics);
    }

    private static async Task<VideoFingerprint> StandaloneAsync(string source)
    {
        var result = await Tools.CliAsync(null, "fingerprint", source, "--json");
        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        using var json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.GetProperty("video").Deserialize<VideoFingerprintJson>(JsonSerializerOptions.Web)!.ToFingerprint();
    }
}
