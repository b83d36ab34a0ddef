using System.Globalization;
using System.Text.Json;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>One embedded farm for <see cref="SourceScanTests"/>: profiles whose top rung is the source's full height, so
/// idet on the output sees the combing a missed deinterlace would leave (a downscale hides it from idet).</summary>
public sealed class ScanFarm : IAsyncLifetime
{
    public FarmProcess Farm { get; } = new();

    public string Media { get; } = Directory.CreateTempSubdirectory("transcodefarm-scan-media-").FullName;

    /// <summary>Each source is encoded once, whichever test asks first (a second drop of the same file is a duplicate).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<JobRecord>>> Jobs { get; } = new();

    public async Task InitializeAsync()
    {
        var profiles = Directory.CreateTempSubdirectory("transcodefarm-scan-profiles-").FullName;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "ffmpeg-profiles"), "*.json"))
        {
            File.Copy(file, Path.Combine(profiles, Path.GetFileName(file)));
        }

        await File.WriteAllTextAsync(Path.Combine(profiles, "scan-field.json"), Profile("scan-field", "field", 576, 240));
        await File.WriteAllTextAsync(Path.Combine(profiles, "scan-frame.json"), Profile("scan-frame", "frame", 1080, 240));
        await Farm.StartAsync(new Dictionary<string, string> { ["TRANSCODEFARM__Farm__ProfilesDirectory"] = profiles }, slots: 2);
    }

    public async Task DisposeAsync()
    {
        await Farm.DisposeAsync();
        Directory.Delete(Media, recursive: true);
    }

    private static string Profile(string name, string deinterlace, int top, int bottom) => JsonSerializer.Serialize(new
    {
        name,
        segmentSeconds = 2,
        gopSeconds = 1,
        maxFrameRate = 60,
        deinterlace,
        video = new object[]
        {
            new { name = $"{top}p", height = top, bitrateKbps = 1500, preset = "ultrafast" },
            new { name = $"{bottom}p", height = bottom, bitrateKbps = 300, preset = "ultrafast" },
        },
        audio = Array.Empty<object>(),
    });
}

/// <summary>
/// Issue 16 items 4 and 6 on a running farm with real ffmpeg: 576i and 1080i sources come out progressive (idet on the
/// full-height rung; the same check on the source says combed, so it can fail) at the configured rate, 3:2 telecined
/// film comes back at ~24 fps with no repeated fields, the job says what was found, and one-frame and sub-second
/// sources publish assets that play. Sources are 2–3 s, at most 1080 lines, ultrafast.
/// </summary>
public sealed class SourceScanTests(ScanFarm shared) : IClassFixture<ScanFarm>
{
    private FarmProcess Farm => shared.Farm;

    [Fact]
    public async Task Interlaced_576i25_top_first_comes_out_50p_by_fields_with_no_combing()
    {
        var source = await MakeAsync("576i.mp4",
            "-f", "lavfi", "-i", "testsrc2=size=720x576:rate=50", "-t", "2", "-vf", "interlace=scan=tff",
            "-c:v", "libx264", "-preset", "ultrafast", "-flags", "+ilme+ildct", "-x264opts", "tff=1", "-field_order", "tt", "-pix_fmt", "yuv420p");
        Assert.True(IsCombed(await IdetAsync(source)), "the source must look interlaced to idet, or the check below proves nothing");

        var job = await EncodeAsync(source, "scan-field");

        Assert.StartsWith("interlaced tff 576i25 → bwdif 50p (container: top field first; idet: ", job.Outputs!.SourceScan);
        var top = await RenditionAsync(job, 0);
        Assert.Equal(50, await FrameRateAsync(top), 1);
        AssertProgressive(await IdetAsync(top));
    }

    [Fact]
    public async Task Interlaced_1080i25_bottom_first_comes_out_25p_by_frames_with_no_combing()
    {
        var source = await MakeAsync("1080i.mp4",
            "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=50", "-t", "2", "-vf", "interlace=scan=bff",
            "-c:v", "libx264", "-preset", "ultrafast", "-flags", "+ilme+ildct", "-x264opts", "bff=1", "-field_order", "bb", "-pix_fmt", "yuv420p");
        Assert.True(IsCombed(await IdetAsync(source)));

        var job = await EncodeAsync(source, "scan-frame");

        Assert.StartsWith("interlaced bff 1080i25 → bwdif 25p (", job.Outputs!.SourceScan);
        var top = await RenditionAsync(job, 0);
        Assert.Equal(25, await FrameRateAsync(top), 1);
        AssertProgressive(await IdetAsync(top));
    }

    [Fact]
    public async Task Telecined_film_comes_back_at_24_fps_progressive_with_no_repeated_fields()
    {
        // 23.976p film pulled down 3:2 to 29.97 (flagged progressive, as many such files are).
        var source = await MakeAsync("telecine.mp4",
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=24000/1001", "-t", "3", "-vf", "telecine=pattern=23",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");
        var before = await IdetAsync(source);
        Assert.InRange(RepeatedShare(before), 0.3, 0.5);

        var job = await EncodeAsync(source, "test-tiny");

        Assert.StartsWith("telecined 3:2 29.97 fps, tff → fieldmatch + decimate 23.976p", job.Outputs!.SourceScan);
        var top = await RenditionAsync(job, 0); // 240 lines: the source's own height
        Assert.Equal(23.976, await FrameRateAsync(top), 1);
        var after = await IdetAsync(top);
        AssertProgressive(after);
        Assert.True(RepeatedShare(after) < 0.05, $"fields still repeat: {after}");
    }

    [Fact]
    public async Task A_progressive_source_is_left_alone()
    {
        var job = await EncodeAsync(await TestMedia.ClipAsync(320, 240, 2, audio: false), "test-tiny");
        Assert.Null(job.Outputs!.SourceScan);
        Assert.Equal(30, await FrameRateAsync(await RenditionAsync(job, 0)), 1);
    }

    [Theory]
    [InlineData("one-frame", false)]
    [InlineData("sub-second", true)]
    public async Task One_frame_and_sub_second_sources_publish_an_asset_that_decodes(string name, bool sound)
    {
        var job = await EncodeAsync(await ShortSourceAsync(name), "test-tiny");

        var folder = Farm.AssetFolder(job.Id);
        var master = HlsParser.ParseMaster(await File.ReadAllTextAsync(Path.Combine(folder, OutputLayout.HlsMaster)));
        Assert.Equal(2, master.Variants.Count);
        Assert.Equal(sound ? 1 : 0, master.Media.Count);
        Assert.True(File.Exists(Path.Combine(folder, OutputLayout.DashManifest)));
        foreach (var playlist in master.Variants.Select(v => v.Uri).Concat(master.Media.Select(m => m.Uri!)))
        {
            var media = HlsParser.ParseMedia(await File.ReadAllTextAsync(Path.Combine(folder, playlist)));
            Assert.NotEmpty(media.Segments);
            Assert.All(media.Segments, s => Assert.True(s.Duration > 0 && File.Exists(Path.Combine(folder, s.Uri)), $"{playlist}: {s.Uri}"));
        }

        var frames = await CountFramesAsync(await RenditionAsync(job, 0));
        Assert.InRange(frames, 1, 10);
        Assert.Equal(name == "one-frame" ? 1 : 10, frames);
    }

    [Fact]
    public async Task A_single_picture_over_three_seconds_of_sound_lasts_as_long_as_the_sound()
    {
        var job = await PictureWithSoundAsync();

        var video = await RenditionAsync(job, 0);
        var audio = await RenditionAsync(job, 2);
        var (videoSeconds, audioSeconds) = (await DurationAsync(video), await DurationAsync(audio));
        Assert.InRange(videoSeconds, audioSeconds - 0.1, audioSeconds + 0.1);
        Assert.InRange(await CountFramesAsync(video), 70, 80); // the one picture, 25 times a second
    }

    /// <summary>The short and odd assets play in Chromium: time advances to the end of the sound (the held picture) or of
    /// the clip, with pictures decoded.</summary>
    [Theory]
    [InlineData("picture-with-sound", OutputLayout.HlsMaster, "hlsjs", 2.5)]
    [InlineData("picture-with-sound", OutputLayout.DashManifest, "shaka", 2.5)]
    [InlineData("sub-second", OutputLayout.HlsMaster, "hlsjs", 0.3)]
    [InlineData("one-frame", OutputLayout.DashManifest, "shaka", 0.03)]
    public async Task Short_and_odd_assets_play_in_chromium(string name, string manifest, string player, double seconds)
    {
        var job = name switch
        {
            "picture-with-sound" => await PictureWithSoundAsync(),
            _ => await EncodeAsync(await ShortSourceAsync(name), "test-tiny"),
        };
        var result = await BrowserPlaybackTests.PlayAsync(["--url", $"{Farm.BaseUrl}/vod/{job.Outputs!.AssetId}/{manifest}", "--player", player,
            "--seconds", seconds.ToString(CultureInfo.InvariantCulture), "--timeout", "40"]);
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        // The held picture is frames to decode (25 a second), not one frame left on screen while the sound plays on.
        Assert.True(result.GetProperty("decodedFrames").GetInt32() >= (name == "picture-with-sound" ? 40 : 1), result.ToString());
    }

    private async Task<JobRecord> PictureWithSoundAsync()
    {
        var picture = await MakeAsync("picture.mp4", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-frames:v", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p");
        var sound = await MakeAsync("sound.m4a", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=3", "-c:a", "aac");
        return await EncodeAsync(await MakeAsync("picture-with-sound.mp4", "-i", picture, "-i", sound, "-map", "0:v", "-map", "1:a", "-c", "copy"), "test-tiny");
    }

    private Task<string> ShortSourceAsync(string name) => name == "one-frame"
        ? MakeAsync("one-frame.mp4", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-frames:v", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p")
        : MakeAsync("sub-second.mp4", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", "0.4", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac");

    private static async Task<double> DurationAsync(string file)
    {
        var r = await Tools.FfprobeAsync("-show_entries", "stream=duration", "-of", "csv=p=0", file);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return double.Parse(r.Stdout.Trim().Split('\n')[0], CultureInfo.InvariantCulture);
    }

    private Task<JobRecord> EncodeAsync(string source, string profile) =>
        shared.Jobs.GetOrAdd($"{source}|{profile}", _ => new Lazy<Task<JobRecord>>(() => DropAndWaitAsync(source, profile))).Value;

    private async Task<JobRecord> DropAndWaitAsync(string source, string profile)
    {
        var name = Path.GetFileNameWithoutExtension(source) + "-" + profile;
        await File.WriteAllTextAsync(Path.Combine(Farm.DropFolder, name + ".json"), $$"""{"profile": "{{profile}}"}""");
        Farm.Drop(source, name + ".mp4");
        var job = await Farm.WaitForJobAsync(name + ".mp4", TimeSpan.FromMinutes(3));
        Assert.True(job.State == JobState.Succeeded, $"{job.State}: {job.Error}");
        return job;
    }

    /// <summary>Rendition N of the published asset as one file: its init segment and media segments joined.</summary>
    private async Task<string> RenditionAsync(JobRecord job, int track)
    {
        var folder = Farm.AssetFolder(job.Id);
        var path = Path.Combine(shared.Media, $"{job.Id}-{track}.mp4");
        await using var output = File.Create(path);
        var parts = Directory.GetFiles(folder, $"seg-{track}-*.m4s").Order(StringComparer.Ordinal).Prepend(Path.Combine(folder, $"init-{track}.mp4"));
        foreach (var part in parts)
        {
            await using var input = File.OpenRead(part);
            await input.CopyToAsync(output);
        }

        return path;
    }

    private async Task<string> MakeAsync(string name, params string[] args)
    {
        var path = Path.Combine(shared.Media, name);
        if (!File.Exists(path))
        {
            await Tools.CheckedFfmpegAsync([.. args, path]);
        }

        return path;
    }

    private static async Task<IdetReport> IdetAsync(string file)
    {
        // The farm's own idet settings: at idet's default threshold busy progressive testsrc2 reads as combed.
        var r = await Tools.RunAsync("ffmpeg", ["-hide_banner", "-nostats", "-i", file, "-an", "-vf", IdetArguments.Filter, "-f", "null", "-"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return IdetParser.Parse(r.Stderr.Split('\n')) ?? throw new InvalidOperationException("no idet summary: " + r.Stderr);
    }

    private static bool IsCombed(IdetReport r) => r.Determined > 0 && r.Tff + r.Bff > 0.8 * r.Determined;

    private static double RepeatedShare(IdetReport r) => (double)(r.RepeatedTop + r.RepeatedBottom) / r.Frames;

    /// <summary>Multi-frame detection decides on most frames and calls (almost) all of them progressive.</summary>
    private static void AssertProgressive(IdetReport r)
    {
        Assert.True(r.Determined >= r.Frames / 2, $"idet could not decide: {r}");
        Assert.True(r.Tff + r.Bff <= 0.05 * r.Determined, $"combing left: {r}");
    }

    private static async Task<double> FrameRateAsync(string file)
    {
        var r = await Tools.FfprobeAsync("-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames,duration", "-of", "default=nw=1", file);
        var fields = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        return int.Parse(fields["nb_read_frames"], CultureInfo.InvariantCulture) / double.Parse(fields["duration"], CultureInfo.InvariantCulture);
    }

    private static async Task<int> CountFramesAsync(string file)
    {
        var r = await Tools.FfprobeAsync("-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return int.Parse(r.Stdout.Trim(), CultureInfo.InvariantCulture);
    }
}
