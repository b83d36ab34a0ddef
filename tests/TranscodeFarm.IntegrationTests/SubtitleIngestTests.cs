using System.Text.Json;
using TranscodeFarm.Core.Subtitles;
using TranscodeFarm.IntegrationTests.Infrastructure;
using TranscodeFarm.Media;
using TranscodeFarm.Worker.Ingest;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// The pieces around subtitles that touch files and ffmpeg, without a farm: the sidecar's subtitles list, the drop
/// folder's companions (what is taken along, what is left, what goes back), the probe and the extraction of text
/// streams from MP4 (mov_text) and Matroska (WebVTT) sources. ~1 s of ffmpeg.
/// </summary>
public sealed class SubtitleIngestTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("subs-ingest-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_sidecar_lists_subtitle_files_strictly()
    {
        var (ok, error) = Sidecar.Parse("""{"subtitles": [{"file": "a b.ar.srt", "language": "ara", "name": "عربي", "forced": true, "sdh": true, "default": true, "optional": true}]}""");
        Assert.Null(error);
        Assert.Equal(new SidecarSubtitle("a b.ar.srt", "ara", "عربي", true, true, true, true), Assert.Single(ok!.Subtitles!));

        Assert.Contains("unknown field 'subtitles[0].lang'", Sidecar.Parse("""{"subtitles": [{"file": "a.srt", "lang": "en"}]}""").Error, StringComparison.Ordinal);
        Assert.Contains("bare name of a .srt or .vtt file", Sidecar.Parse("""{"subtitles": [{"file": "../a.srt"}]}""").Error, StringComparison.Ordinal);
        Assert.Contains("bare name of a .srt or .vtt file", Sidecar.Parse("""{"subtitles": [{"file": "a.ass"}]}""").Error, StringComparison.Ordinal);
        Assert.Contains("bare name of a .srt or .vtt file", Sidecar.Parse("""{"subtitles": [{"language": "en"}]}""").Error, StringComparison.Ordinal);
        Assert.Contains("is not a language tag", Sidecar.Parse("""{"subtitles": [{"file": "a.srt", "language": "English"}]}""").Error, StringComparison.Ordinal);
        Assert.Contains("twice", Sidecar.Parse("""{"subtitles": [{"file": "a.srt"}, {"file": "a.srt"}]}""").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Subtitle_files_are_never_jobs_of_their_own()
    {
        Assert.False(DropFolderLayout.IsCandidate("film.srt"));
        Assert.False(DropFolderLayout.IsCandidate("film.fr.forced.VTT"));
        Assert.True(DropFolderLayout.IsCandidate("film.mkv"));
    }

    [Fact]
    public async Task A_video_takes_its_listed_and_namesake_subtitle_files_along_and_they_go_back_beside_it()
    {
        var drop = Directory.CreateDirectory(Path.Combine(_dir, "drop")).FullName;
        var processing = Directory.CreateDirectory(Path.Combine(_dir, "p")).FullName;
        foreach (var name in new[] { "film.en.srt", "film.fr.forced.vtt", "extra.vtt", "film2.en.srt", "notes.srt" })
        {
            await File.WriteAllTextAsync(Path.Combine(drop, name), name);
        }

        Assert.Equal(0, (await Tools.RunAsync("mkfifo", [Path.Combine(drop, "film.de.srt")])).ExitCode);
        var sidecar = new Sidecar(null, null, null, Subtitles: [new SidecarSubtitle("extra.vtt", "he", Sdh: true), new SidecarSubtitle("missing.srt", Optional: true)]);
        var taken = await SubtitleCompanions.TakeAsync(drop, "film.mkv", sidecar, processing, CancellationToken.None);

        Assert.Equal(
            [
                new SubtitleCompanion("subtitle-1.vtt", "extra.vtt", "he", null, false, true, false, false),
                new SubtitleCompanion(null, "missing.srt", null, null, false, false, false, true),
                new SubtitleCompanion("subtitle-3.srt", "film.de.srt", "de", null, false, false, false, false),
                new SubtitleCompanion("subtitle-4.srt", "film.en.srt", "en", null, false, false, false, false),
                new SubtitleCompanion("subtitle-5.vtt", "film.fr.forced.vtt", "fr", null, true, false, false, false),
            ],
            taken);
        // Renamed, not opened: the FIFO moved as the FIFO it is (the worker refuses it when it opens it).
        Assert.Equal(FileKind.Fifo, UntrustedFile.KindOf(Path.Combine(processing, "subtitle-3.srt")));
        Assert.Equal(["film2.en.srt", "notes.srt"], Directory.GetFileSystemEntries(drop).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(taken, await SubtitleCompanions.LoadAsync(Path.Combine(processing, "source.mkv"), CancellationToken.None));

        var done = Directory.CreateDirectory(Path.Combine(_dir, "done")).FullName;
        await File.WriteAllTextAsync(Path.Combine(done, "film.en.srt"), "an older one");
        SubtitleCompanions.KeepBeside(processing, Path.Combine(done, "film.mkv"));
        Assert.Equal(["extra.vtt", "film.de.srt", "film.en (2).srt", "film.en.srt", "film.fr.forced.vtt"],
            Directory.GetFileSystemEntries(done).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToList());
        Assert.Equal("film.en.srt", await File.ReadAllTextAsync(Path.Combine(done, "film.en (2).srt")));
    }

    [Theory]
    [InlineData("mp4", "mov_text")]
    [InlineData("mkv", "webvtt")]
    public async Task Text_streams_are_probed_and_extracted_to_webvtt_with_exact_cues(string container, string codec)
    {
        var vtt = Path.Combine(_dir, "in.vtt");
        await File.WriteAllTextAsync(vtt, "WEBVTT\n\n00:00.300 --> 00:01.200\nשלום <i>עולם</i>\n\n00:01.500 --> 00:01.900\nدو\n");
        var source = Path.Combine(_dir, "source." + container);
        var made = await Tools.FfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=64x48:rate=10:duration=2", "-i", vtt, "-map", "0", "-map", "1",
            "-c:v", "libx264", "-preset", "ultrafast", "-c:s", codec, "-metadata:s:s:0", "language=heb", "-disposition:s:0", "default+hearing_impaired", source);
        Assert.True(made.ExitCode == 0, made.Stderr);

        var media = new MediaOptions();
        var probe = await new MediaProber(media).ProbeAsync(source, CancellationToken.None);
        var stream = Assert.Single(probe.Source!.Subtitles);
        Assert.Equal((0, codec, "heb", true), (stream.Number, stream.Codec, stream.Language, stream.Default));
        Assert.True(stream.IsText);

        var (webVtt, error) = await new FfmpegSubtitleExtractor(new ProcessRunner(TimeProvider.System), media).ExtractAsync(source, 0, 2, CancellationToken.None);
        Assert.Null(error);
        var parsed = WebVttParser.Parse(webVtt!);
        Assert.True(parsed.Ok, parsed.Describe());
        Assert.Equal([new SubtitleCue(300, 1200, "שלום <i>עולם</i>"), new SubtitleCue(1500, 1900, "دو")], parsed.Cues);
    }

    [Fact]
    public void A_long_source_gets_more_time_to_be_read_for_its_subtitles()
    {
        var media = new MediaOptions();
        Assert.Equal(TimeSpan.FromMinutes(2), media.SubtitleTimeoutFor(60));
        Assert.Equal(TimeSpan.FromMinutes(30), media.SubtitleTimeoutFor(2 * 3600));
    }

    [Fact]
    public async Task Extracting_a_stream_that_is_not_there_says_why()
    {
        var source = Path.Combine(_dir, "plain.mp4");
        Assert.Equal(0, (await Tools.FfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=64x48:rate=10:duration=1", "-c:v", "libx264", "-preset", "ultrafast", source)).ExitCode);
        var (webVtt, error) = await new FfmpegSubtitleExtractor(new ProcessRunner(TimeProvider.System), new MediaOptions()).ExtractAsync(source, 0, 2, CancellationToken.None);
        Assert.Null(webVtt);
        Assert.Contains("ffmpeg failed", error, StringComparison.Ordinal);
    }
}

/// <summary>The subtitle stage over a fake extractor (the seam): what is kept, what is left out with a note, what fails the job.</summary>
public sealed class SubtitleStageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("subs-stage-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Source_streams_are_kept_or_left_out_with_a_note_and_files_follow_them()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "subtitle-1.srt"), "1\n00:00:01,000 --> 00:00:02,000\nfile cue\n");
        await File.WriteAllTextAsync(Path.Combine(_dir, SubtitleCompanions.ListFile), JsonSerializer.Serialize(
            new[] { new SubtitleCompanion("subtitle-1.srt", "film.de.srt", "de", null, false, false, false, false) }, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        var info = new Core.Planning.SourceInfo("matroska,webm", 4, null, null)
        {
            Subtitles =
            [
                new SubtitleStreamInfo(0, "subrip", "eng", "English", false, false, true),
                new SubtitleStreamInfo(1, "hdmv_pgs_subtitle", "fre", null, false, false, false),
                new SubtitleStreamInfo(2, "ass", "spa", null, true, false, false),
            ],
        };
        var stage = new Worker.Pipeline.SubtitleStage(new FakeExtractor(), Microsoft.Extensions.Logging.Abstractions.NullLogger<Worker.Pipeline.SubtitleStage>.Instance);
        var gathered = await stage.GatherAsync(Job(), Plan(info), CancellationToken.None);

        Assert.Equal(["English", "de"], gathered.Tracks.Select(t => t.Label.Name));
        Assert.Equal([new SubtitleCue(0, 1000, "from stream 0")], gathered.Tracks[0].Cues);
        Assert.True(gathered.Tracks[0].Label.Default);
        Assert.Equal([new SubtitleCue(1000, 2000, "file cue")], gathered.Tracks[1].Cues);
        Assert.Equal(
            [
                "source subtitle stream 1 (hdmv_pgs_subtitle) is pictures, not text: left out (it would need OCR)",
                "source subtitle stream 2 (ass) could not be read, left out: ffmpeg failed (exit 1): broken",
            ],
            gathered.Notes);
    }

    [Theory]
    [InlineData(false, "subtitle file 'film.en.srt' is refused: not UTF-8 text")]
    [InlineData(true, null)]
    public async Task A_file_that_is_not_utf8_fails_the_job_unless_optional(bool optional, string? failure)
    {
        await File.WriteAllBytesAsync(Path.Combine(_dir, "subtitle-1.srt"), [0x31, 0x0a, 0xe9, 0xff, 0x0a]);
        await File.WriteAllTextAsync(Path.Combine(_dir, SubtitleCompanions.ListFile), JsonSerializer.Serialize(
            new[] { new SubtitleCompanion("subtitle-1.srt", "film.en.srt", "en", null, false, false, false, optional) }, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        var stage = new Worker.Pipeline.SubtitleStage(new FakeExtractor(), Microsoft.Extensions.Logging.Abstractions.NullLogger<Worker.Pipeline.SubtitleStage>.Instance);
        var plan = Plan(new Core.Planning.SourceInfo("mov,mp4", 4, null, null));
        if (failure is null)
        {
            var gathered = await stage.GatherAsync(Job(), plan, CancellationToken.None);
            Assert.Empty(gathered.Tracks);
            Assert.Equal("subtitle file 'film.en.srt' is refused: not UTF-8 text (optional: left out)", Assert.Single(gathered.Notes));
        }
        else
        {
            var thrown = await Assert.ThrowsAsync<Worker.Pipeline.StageFailure>(() => stage.GatherAsync(Job(), plan, CancellationToken.None));
            Assert.Equal("probe: " + failure, thrown.Result.Describe());
        }
    }

    private Core.Jobs.JobRecord Job() => new()
    {
        Id = "a1", IdempotencyKey = "k", SourcePath = Path.Combine(_dir, "source.mkv"), SourceName = "film.mkv", Profile = "p", Origin = Core.Jobs.JobOrigin.DropFolder,
    };

    private static Worker.Pipeline.SourcePlan Plan(Core.Planning.SourceInfo info) => new(
        "/nowhere/source.mkv", info, new Core.Profiles.LadderProfile { Name = "test" },
        new Core.Planning.EncodePlan("test", [], [], SegmentSeconds: 1, GopSeconds: 1, OutputFrameRate: null, SourceDurationSeconds: 4));

    private sealed class FakeExtractor : ISubtitleExtractor
    {
        public Task<(string? WebVtt, string? Error)> ExtractAsync(string sourcePath, int streamNumber, double durationSeconds, CancellationToken cancellationToken) =>
            Task.FromResult<(string?, string?)>(streamNumber == 0 ? ("WEBVTT\n\n00:00.000 --> 00:01.000\nfrom stream 0\n", null) : (null, "ffmpeg failed (exit 1): broken"));
    }
}
