using TranscodeFarm.Core.Ffmpeg;

namespace TranscodeFarm.Core.Tests;

public class SourceFormatsTests
{
    [Fact]
    public void The_media_list_is_exactly_the_accepted_containers_in_ffmpeg_demuxer_names() =>
        Assert.Equal(
            "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mpegts,mpeg,avi,asf,flv,mxf,dv,wav,mp3,aac,flac,ogg,gif",
            SourceFormats.Whitelist(SourceFormats.Media));

    [Theory]
    [InlineData("hls")]
    [InlineData("dash")]
    [InlineData("concat")]
    [InlineData("image2")]
    [InlineData("png_pipe")]
    [InlineData("srt")]
    [InlineData("tty")]
    [InlineData("lavfi")]
    public void Demuxers_that_open_other_files_or_are_not_media_are_not_listed(string demuxer) =>
        Assert.DoesNotContain(demuxer, SourceFormats.Whitelist(SourceFormats.Media).Split(','));

    [Fact]
    public void Subtitle_demuxers_are_a_list_of_their_own() =>
        Assert.Equal("srt,ass,webvtt", SourceFormats.Whitelist(SourceFormats.Subtitles));

    [Fact]
    public void Every_entry_says_why() => Assert.All(SourceFormats.Media.Concat(SourceFormats.Subtitles), f => Assert.False(string.IsNullOrWhiteSpace(f.Reason)));

    [Fact]
    public void Input_allows_only_the_local_file()
    {
        Assert.Equal(
            ["-format_whitelist", "srt,ass,webvtt", "-protocol_whitelist", "file", "-i", "file:/w/-x:y.srt"],
            SourceFormats.Input("/w/-x:y.srt", SourceFormats.Subtitles));
    }

    [Theory]
    [InlineData("[hls @ 0x5639687174c0] Format not on whitelist 'mov,mp4'\nfile:/x: Invalid argument", "hls")]
    [InlineData("[png_pipe @ 0x563e71b724c0] Format not on whitelist 'mov'", "png_pipe")]
    [InlineData("[concat @ 0x55D5A4B7B4C0] Format not on whitelist 'mov'", "concat")]
    [InlineData("[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55e5ba3f14c0] moov atom not found", null)]
    [InlineData(null, null)]
    public void A_refusal_names_the_detected_format(string? stderr, string? format) =>
        Assert.Equal(format, SourceFormats.RefusedFormat(stderr));

    [Fact]
    public void The_refusal_reason_is_what_a_producer_reads() =>
        Assert.Equal("not a media file the farm accepts: hls", SourceFormats.RefusalReason("hls"));
}
