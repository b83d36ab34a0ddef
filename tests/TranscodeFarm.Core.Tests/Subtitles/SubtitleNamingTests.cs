using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Subtitles;

namespace TranscodeFarm.Core.Tests.Subtitles;

public sealed class SubtitleNamingTests
{
    [Theory]
    [InlineData("film.srt", null, false, false, false)]
    [InlineData("film.en.srt", "en", false, false, false)]
    [InlineData("film.fr.forced.vtt", "fr", true, false, false)]
    [InlineData("film.forced.fr.VTT", "fr", true, false, false)]
    [InlineData("film.eng.sdh.srt", "en", false, true, false)]
    [InlineData("film.pt-BR.cc.default.srt", "pt-BR", false, true, true)]
    [InlineData("film.hi.srt", null, false, true, false)]
    public void A_subtitle_file_named_after_the_video_belongs_to_it(string candidate, string? language, bool forced, bool sdh, bool isDefault) =>
        Assert.Equal(new SubtitleNameTags(language, forced, sdh, isDefault), SubtitleFileName.Match("film.mkv", candidate));

    [Theory]
    [InlineData("film.mkv")]
    [InlineData("film.json")]
    [InlineData("film2.srt")]
    [InlineData("film.part2.srt")]
    [InlineData("other.en.srt")]
    [InlineData("film.en.fr.srt")]
    [InlineData("filmen.srt")]
    public void Other_files_do_not(string candidate) => Assert.Null(SubtitleFileName.Match("film.mkv", candidate));

    [Theory]
    [InlineData("eng", "en")]
    [InlineData("fre", "fr")]
    [InlineData("ara", "ar")]
    [InlineData("heb", "he")]
    [InlineData("pt_BR", "pt-BR")]
    [InlineData("zh-Hant-TW", "zh-Hant-TW")]
    [InlineData("gsw", "gsw")]
    [InlineData("und", null)]
    [InlineData("", null)]
    [InlineData("english", null)]
    [InlineData("e\"n", null)]
    [InlineData(null, null)]
    public void Languages_become_bcp47(string? tag, string? expected) => Assert.Equal(expected, SubtitleLanguage.Normalize(tag));

    [Fact]
    public void Labels_get_a_language_a_unique_name_and_at_most_one_default()
    {
        var labels = SubtitleLabels.Assign([
            new SubtitleFacts("eng", null, false, false, true),
            new SubtitleFacts("en", null, false, false, true),
            new SubtitleFacts(null, null, true, false, false),
            new SubtitleFacts("fr", "Français", false, true, false),
            new SubtitleFacts("fr", "Français", false, false, false),
        ]);
        Assert.Equal(["en", "en 2", "und forced", "Français", "Français 2"], labels.Select(l => l.Name));
        Assert.Equal(["en", "en", "und", "fr", "fr"], labels.Select(l => l.Language));
        Assert.Equal([true, false, false, false, false], labels.Select(l => l.Default));
    }

    [Fact]
    public void Extraction_opens_only_the_source_through_the_allow_list_and_writes_webvtt_to_stdout() =>
        Assert.Equal(
            ["-hide_banner", "-nostats", "-loglevel", "error", "-format_whitelist", SourceFormats.Whitelist(SourceFormats.Media), "-protocol_whitelist", "file",
             "-i", "file:/w/source.mkv", "-map", "0:s:1", "-c:s", "webvtt", "-f", "webvtt", "pipe:1"],
            SubtitleArguments.ExtractWebVtt("/w/source.mkv", 1));

    [Theory]
    [InlineData("subs_0.m3u8", ObjectKind.Manifest, "")]
    [InlineData("subs-2-00001.vtt", ObjectKind.Segment, "subs-2")]
    [InlineData("subs-2.vtt", ObjectKind.Segment, "subs-2")]
    public void Subtitle_objects_are_classified(string name, ObjectKind kind, string rendition) =>
        Assert.Equal((kind, rendition), OutputLayout.Classify(name));

    [Fact]
    public void Text_and_picture_streams_are_told_apart()
    {
        Assert.True(new SubtitleStreamInfo(0, "mov_text", null, null, false, false, false).IsText);
        Assert.True(new SubtitleStreamInfo(0, "ass", null, null, false, false, false).IsText);
        Assert.False(new SubtitleStreamInfo(0, "hdmv_pgs_subtitle", null, null, false, false, false).IsText);
    }
}
