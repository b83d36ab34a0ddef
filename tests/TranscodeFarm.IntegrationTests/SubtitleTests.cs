using System.Globalization;
using System.Text;
using System.Xml.Linq;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.Core.Subtitles;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// Subtitles through the real farm (issue 16): text streams in an MKV (SubRip and ASS) and subtitle files dropped with
/// their video (beside it, or listed by its sidecar; Arabic and Hebrew, BOM and CRLF), a malformed file (the job fails
/// naming the file and line; optional, the job goes on and says so). Manifests are parsed and every published WebVTT
/// segment is read back: the cues' text and times must be the source's, in each segment they overlap. Three 5 s
/// 320x240 encodes, a few seconds each.
/// </summary>
[Collection(SharedFarmCollection.Name)]
public sealed class SubtitleTests(SharedFarm shared)
{
    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";
    private static Task<JobRecord>? _mkv;
    private static Task<JobRecord>? _sidecar;
    private FarmProcess Farm => shared.Farm;

    /// <summary>English SubRip in the MKV: one cue spans 4 s, the default segment boundary.</summary>
    internal static readonly SubtitleCue[] English =
    [
        new(500, 1400, "Hello <i>world</i>"),
        new(3600, 4500, "Second cue\non two lines"),
    ];

    /// <summary>French ASS in the MKV (centisecond times): its italics override becomes WebVTT's &lt;i&gt;.</summary>
    internal static readonly SubtitleCue[] French = [new(1000, 2500, "Bonjour <i>le monde</i>")];

    private static readonly SubtitleCue[] Arabic =
    [
        new(200, 1800, "مرحبا <b>بالعالم</b>"),
        new(2000, 4200, "سطر ثان\nوسطر ثالث"),
    ];

    private static readonly SubtitleCue[] Hebrew =
    [
        new(250, 1000, "שלום עולם", "align:start"),
        new(1200, 2600, "[מוזיקה] &amp; צלילים"),
    ];

    internal static Task<JobRecord> MkvJobAsync(FarmProcess farm) => _mkv ??= DropMkvAsync(farm);

    internal static Task<JobRecord> SidecarJobAsync(FarmProcess farm) => _sidecar ??= DropWithFilesAsync(farm);

    private static async Task<JobRecord> DropMkvAsync(FarmProcess farm)
    {
        var dir = Directory.CreateTempSubdirectory("subs-mkv-").FullName;
        var srt = Path.Combine(dir, "en.srt");
        await File.WriteAllTextAsync(srt, "1\n00:00:00,500 --> 00:00:01,400\nHello <i>world</i>\n\n2\n00:00:03,600 --> 00:00:04,500\nSecond cue\non two lines\n");
        var ass = Path.Combine(dir, "fr.ass");
        await File.WriteAllTextAsync(ass, """
            [Script Info]
            ScriptType: v4.00+
            PlayResX: 320
            PlayResY: 240

            [V4+ Styles]
            Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
            Style: Default,Arial,16,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,1

            [Events]
            Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
            Dialogue: 0,0:00:01.00,0:00:02.50,Default,,0,0,0,,Bonjour {\i1}le monde{\i0}

            """);
        // Video only: AAC's priming delay would make the Matroska muxer shift every stream by 21 ms, and the test
        // compares against the times written above.
        var clip = await TestMedia.ClipAsync(320, 240, 5, audio: false, extra: "-metadata title=subtitles-mkv");
        var mkv = Path.Combine(dir, "two subs.mkv");
        var made = await Tools.FfmpegAsync("-i", clip, "-i", srt, "-i", ass, "-map", "0:v", "-map", "1", "-map", "2", "-c:v", "copy",
            "-c:s:0", "srt", "-c:s:1", "ass", "-metadata:s:s:0", "language=eng", "-metadata:s:s:1", "language=fre", "-disposition:s:1", "forced", mkv);
        Assert.True(made.ExitCode == 0, made.Stderr);
        farm.Drop(mkv, "two subs.mkv");
        return await farm.WaitForJobAsync("two subs.mkv");
    }

    private static async Task<JobRecord> DropWithFilesAsync(FarmProcess farm)
    {
        Directory.CreateDirectory(farm.DropFolder);
        // Beside the video by name: BOM, CRLF, Arabic with a <font> tag (dropped) and <b> (kept).
        await File.WriteAllTextAsync(Path.Combine(farm.DropFolder, "rtl film.ar.srt"),
            "\uFEFF1\r\n00:00:00,200 --> 00:00:01,800\r\nمرحبا <font color=\"#ffff00\"><b>بالعالم</b></font>\r\n\r\n2\r\n00:00:02,000 --> 00:00:04,200\r\nسطر ثان\r\nوسطر ثالث\r\n", new UTF8Encoding(false));
        // Listed by the sidecar: Hebrew SDH WebVTT (a cue setting, an escaped '&') and an optional file that is malformed.
        await File.WriteAllTextAsync(Path.Combine(farm.DropFolder, "hebrew captions.vtt"),
            "WEBVTT\n\nNOTE from the sidecar\n\n1\n00:00:00.250 --> 00:00:01.000 align:start\nשלום עולם\n\n00:01.200 --> 00:02.600\n[מוזיקה] &amp; צלילים\n");
        await File.WriteAllTextAsync(Path.Combine(farm.DropFolder, "broken.srt"), "1\n00:00:00,000 --> 00:00:01,000\nfine\n\n2\n00:00:02 --> 00:00:03,000\nno milliseconds\n");
        await File.WriteAllTextAsync(Path.Combine(farm.DropFolder, "rtl film.json"), """
            {"title": "RTL", "subtitles": [
              {"file": "hebrew captions.vtt", "language": "he", "name": "עברית SDH", "sdh": true},
              {"file": "broken.srt", "language": "de", "optional": true}]}
            """);
        farm.Drop(await TestMedia.ClipAsync(320, 240, 5, extra: "-metadata title=subtitles-rtl"), "rtl film.mp4");
        return await farm.WaitForJobAsync("rtl film.mp4");
    }

    [Fact]
    public async Task Text_streams_of_an_mkv_become_hls_subtitle_renditions_with_exact_cues_in_every_segment()
    {
        var job = await MkvJobAsync(Farm);
        Assert.True(job.State == JobState.Succeeded, job.Error + Farm.Output);
        var folder = Path.Combine(Farm.StoreFolder, job.Outputs!.ObjectPrefix);
        var masterText = await File.ReadAllTextAsync(Path.Combine(folder, OutputLayout.HlsMaster));
        var master = HlsParser.ParseMaster(masterText);
        var subs = master.Media.Where(m => m.Type == "SUBTITLES").ToList();
        Assert.Equal(["en", "fr"], subs.Select(s => s.Attributes["LANGUAGE"]));
        Assert.Equal(["NO", "YES"], subs.Select(s => s.Attributes["FORCED"]));
        Assert.All(subs, s => Assert.Equal("YES", s.Attributes["AUTOSELECT"]));
        Assert.All(master.Variants, v => Assert.Equal(subs[0].Attributes["GROUP-ID"], v.Attributes["SUBTITLES"]));

        await AssertSegmentsAsync(folder, subs[0].Uri!, English);
        await AssertSegmentsAsync(folder, subs[1].Uri!, French);
        var spanning = await SegmentsHoldingAsync(folder, subs[0].Uri!, English[1]);
        Assert.True(spanning >= 1);
    }

    [Fact]
    public async Task Files_beside_the_video_and_in_its_sidecar_are_published_for_hls_and_dash_and_an_optional_bad_one_is_left_out_with_a_note()
    {
        var job = await SidecarJobAsync(Farm);
        Assert.True(job.State == JobState.Succeeded, job.Error + Farm.Output);
        var note = Assert.Single(job.Outputs!.Notes ?? []);
        Assert.Contains("'broken.srt', line 6", note, StringComparison.Ordinal);
        Assert.Contains("optional", note, StringComparison.Ordinal);

        var folder = Path.Combine(Farm.StoreFolder, job.Outputs.ObjectPrefix);
        var master = HlsParser.ParseMaster(await File.ReadAllTextAsync(Path.Combine(folder, OutputLayout.HlsMaster)));
        var subs = master.Media.Where(m => m.Type == "SUBTITLES").ToList();
        Assert.Equal(["he", "ar"], subs.Select(s => s.Attributes["LANGUAGE"]));
        Assert.Equal("עברית SDH", subs[0].Attributes["NAME"]);
        Assert.Equal(SubtitleLabel.SdhCharacteristics, subs[0].Attributes["CHARACTERISTICS"]);
        Assert.False(subs[1].Attributes.ContainsKey("CHARACTERISTICS"));
        await AssertSegmentsAsync(folder, subs[0].Uri!, Hebrew);
        await AssertSegmentsAsync(folder, subs[1].Uri!, Arabic);

        // DASH: one text AdaptationSet per track, its whole WebVTT file, with lang and Role.
        var mpd = XDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, OutputLayout.DashManifest)));
        var text = mpd.Descendants(Dash + "AdaptationSet").Where(s => (string?)s.Attribute("contentType") == "text").ToList();
        Assert.Equal(["he", "ar"], text.Select(s => (string?)s.Attribute("lang")));
        Assert.All(text, s => Assert.Equal("text/vtt", (string?)s.Attribute("mimeType")));
        Assert.Equal(["caption", "subtitle"], text.Select(s => (string?)s.Element(Dash + "Role")!.Attribute("value")));
        var heFile = text[0].Descendants(Dash + "BaseURL").Single().Value;
        AssertCues(Hebrew, await File.ReadAllTextAsync(Path.Combine(folder, heFile)));
        Assert.Equal("text/vtt", await ContentTypeAsync(job.Outputs.AssetId, heFile));

        // The producer's files go to done/ with the video, under their own names.
        await FarmProcess.WaitForFileAsync(Path.Combine(Farm.DropFolder, "done", "rtl film.ar.srt"));
        await FarmProcess.WaitForFileAsync(Path.Combine(Farm.DropFolder, "done", "broken.srt"));
        Assert.False(File.Exists(Path.Combine(Farm.DropFolder, "rtl film.ar.srt")));
    }

    [Fact]
    public async Task A_malformed_subtitle_file_fails_the_job_naming_the_file_and_line()
    {
        await File.WriteAllTextAsync(Path.Combine(Farm.DropFolder, "bad subs.srt"), "1\n00:00:00,000 --> 00:00:01,000\nfine\n\n2\n00:00:02,000 -> 00:00:03,000\nbad arrow\n");
        Farm.Drop(await TestMedia.ClipAsync(160, 120, 2, extra: "-metadata title=bad-subs"), "bad subs.mp4");
        var job = await Farm.WaitForJobAsync("bad subs.mp4");
        Assert.Equal(JobState.Failed, job.State);
        Assert.Contains("subtitle file 'bad subs.srt', line 6:", job.Error, StringComparison.Ordinal);
        await FarmProcess.WaitForFileAsync(Path.Combine(Farm.DropFolder, "failed", "bad subs.srt"));
    }

    /// <summary>
    /// Every segment of the playlist holds exactly the cues that overlap its window (start = sum of the EXTINFs before),
    /// with the source's times and text, and maps cue time to media time 0.
    /// </summary>
    internal static async Task AssertSegmentsAsync(string folder, string playlist, IReadOnlyList<SubtitleCue> expected)
    {
        var media = HlsParser.ParseMedia(await File.ReadAllTextAsync(Path.Combine(folder, playlist)));
        Assert.True(media.EndList && media.MapUri is null && media.Segments.Count >= 1);
        double start = 0;
        var seen = new HashSet<SubtitleCue>();
        foreach (var segment in media.Segments)
        {
            var end = start + segment.Duration;
            var vtt = await File.ReadAllTextAsync(Path.Combine(folder, segment.Uri));
            Assert.Contains("\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n", vtt, StringComparison.Ordinal);
            var inWindow = expected.Where(c => c.EndMs > Math.Round(start * 1000) && c.StartMs < Math.Round(end * 1000)).ToList();
            AssertCues(inWindow, vtt);
            seen.UnionWith(inWindow);
            start = end;
        }

        Assert.Equal(expected.Count, seen.Count);
    }

    internal static void AssertCues(IReadOnlyList<SubtitleCue> expected, string vtt)
    {
        var parsed = WebVttParser.Parse(vtt);
        Assert.True(parsed.Ok, parsed.Describe());
        Assert.Equal(expected, parsed.Cues);
    }

    private static async Task<int> SegmentsHoldingAsync(string folder, string playlist, SubtitleCue cue)
    {
        var media = HlsParser.ParseMedia(await File.ReadAllTextAsync(Path.Combine(folder, playlist)));
        var count = 0;
        foreach (var s in media.Segments)
        {
            count += WebVttParser.Parse(await File.ReadAllTextAsync(Path.Combine(folder, s.Uri))).Cues.Contains(cue) ? 1 : 0;
        }

        return count;
    }

    /// <summary>The Content-Type the edge serves an object of the asset with.</summary>
    private async Task<string?> ContentTypeAsync(string assetId, string name)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync($"{Farm.BaseUrl}{Farm.AssetPath(assetId)}{name}");
        Assert.True(response.IsSuccessStatusCode, $"{name}: {(int)response.StatusCode}");
        return response.Content.Headers.ContentType?.MediaType;
    }
}

/// <summary>
/// hls.js and shaka in headless Chromium list the subtitle tracks, and with the Arabic one turned on show its cues at
/// the source's times (the page seeks into each cue and reads the text track's active cue). Three runs, ~10 s each.
/// </summary>
[Collection(SharedFarmCollection.Name)]
public sealed class SubtitlePlaybackTests(SharedFarm shared)
{
    [Theory]
    [InlineData(OutputLayout.HlsMaster, "hlsjs")]
    [InlineData(OutputLayout.HlsMaster, "shaka")]
    [InlineData(OutputLayout.DashManifest, "shaka")]
    public async Task Players_list_the_subtitle_tracks_and_show_the_arabic_cues_at_their_times(string manifest, string player)
    {
        var job = await SubtitleTests.SidecarJobAsync(shared.Farm);
        Assert.True(job.State == JobState.Succeeded, job.Error);
        // 1.0 s is inside the first cue, 3.0 s inside the second, which is in both HLS segments.
        var result = await BrowserPlaybackTests.PlayAsync(["--url", $"{shared.Farm.BaseUrl}/vod/{job.Outputs!.AssetId}/{manifest}", "--player", player,
            "--seconds", "1", "--timeout", "60", "--subtitles", "ar", "--probe-times", "1.0,3.0"]);
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        var subtitles = result.GetProperty("subtitles");
        var languages = subtitles.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("language").GetString()).Order().ToList();
        Assert.True(languages.SequenceEqual(["ar", "he"]), result.ToString());
        var active = subtitles.GetProperty("active").EnumerateArray().Select(a => a.GetProperty("texts").EnumerateArray().Select(t => t.GetString()).ToList()).ToList();
        Assert.True(active[0].SequenceEqual(["مرحبا <b>بالعالم</b>"]) && active[1].SequenceEqual(["سطر ثان\nوسطر ثالث"]), result.ToString());
        var cues = subtitles.GetProperty("cues").EnumerateArray()
            .Select(c => (Math.Round(c.GetProperty("start").GetDouble(), 2), Math.Round(c.GetProperty("end").GetDouble(), 2))).Distinct().Order().ToList();
        Assert.True(cues.SequenceEqual([(0.2, 1.8), (2.0, 4.2)]), result.ToString());
    }
}
