using TranscodeFarm.Core.Subtitles;

namespace TranscodeFarm.Core.Tests.Subtitles;

public sealed class SrtParserTests
{
    [Fact]
    public void Reads_cues_with_bom_crlf_multiple_lines_and_hours_beyond_99()
    {
        var srt = "\uFEFF1\r\n00:00:01,000 --> 00:00:02,500\r\nFirst line\r\nsecond line\r\n\r\n\r\n2\r\n123:04:05,006 --> 123:04:06,000 X1:10 X2:20 Y1:5 Y2:9\r\nLast\r\n";
        var parsed = SrtParser.Parse(srt);
        Assert.True(parsed.Ok, parsed.Describe());
        Assert.Equal(
            [new SubtitleCue(1000, 2500, "First line\nsecond line"), new SubtitleCue((((123L * 60) + 4) * 60 + 5) * 1000 + 6, (((123L * 60) + 4) * 60 + 6) * 1000, "Last")],
            parsed.Cues);
    }

    [Fact]
    public void Keeps_arabic_and_hebrew_text_as_it_is()
    {
        var parsed = SrtParser.Parse("1\n00:00:00,200 --> 00:00:01,800\nمرحبا بالعالم\nשלום עולם\n");
        Assert.Equal("مرحبا بالعالم\nשלום עולם", Assert.Single(parsed.Cues).Text);
    }

    [Theory]
    [InlineData("<i>in</i> <B>bold</B> <u>u</u>", "<i>in</i> <b>bold</b> <u>u</u>")]
    [InlineData("<font color=\"#ff0000\">red</font> text", "red text")]
    [InlineData("{\\an8}on top", "on top")]
    [InlineData("a < b & c > d", "a &lt; b &amp; c &gt; d")]
    [InlineData("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;")]
    [InlineData("<i class=x>not a kept tag</i>", "&lt;i class=x&gt;not a kept tag</i>")]
    public void Turns_srt_styling_into_webvtt_markup(string line, string expected)
    {
        var parsed = SrtParser.Parse($"1\n00:00:00,000 --> 00:00:01,000\n{line}\n");
        Assert.Equal(expected, Assert.Single(parsed.Cues).Text);
    }

    [Theory]
    [InlineData("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:02 --> 00:00:03,000\nbad\n", 6, "is not 'hh:mm:ss,mmm --> hh:mm:ss,mmm'")]
    [InlineData("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03,000 -> 00:00:04,000\nbad\n", 6, "expected a timing line")]
    [InlineData("1\n00:00:05,000 --> 00:00:02,000\nbackwards\n", 2, "ends before it starts")]
    [InlineData("1\n00:00:01,000 --> 00:61:02,000\nminutes\n", 2, "is not")]
    [InlineData("", 1, "no cues")]
    [InlineData("just some text\n", 1, "expected a timing line")]
    public void Names_the_line_of_the_first_problem(string srt, int line, string problem)
    {
        var parsed = SrtParser.Parse(srt);
        Assert.False(parsed.Ok);
        Assert.Equal(line, parsed.Line);
        Assert.Contains(problem, parsed.Error, StringComparison.Ordinal);
        Assert.StartsWith($"line {line}: ", parsed.Describe(), StringComparison.Ordinal);
    }
}

public sealed class WebVttParserTests
{
    [Fact]
    public void Reads_header_notes_styles_identifiers_settings_and_short_times()
    {
        var vtt = "\uFEFFWEBVTT - a title\r\nKind: captions\r\n\r\nNOTE a note\r\nspanning lines\r\n\r\nSTYLE\r\n::cue { color: red }\r\n\r\ncue-1\r\n00:01.250 --> 00:02.000 align:start line:0\r\n<v Roger>Hello</v> &amp; bye\r\n\r\n01:00:00.000 --> 01:00:01.500\r\nשלום\r\nעולם\r\n";
        var parsed = WebVttParser.Parse(vtt);
        Assert.True(parsed.Ok, parsed.Describe());
        Assert.Equal(
            [new SubtitleCue(1250, 2000, "<v Roger>Hello</v> &amp; bye", "align:start line:0"), new SubtitleCue(3_600_000, 3_601_500, "שלום\nעולם")],
            parsed.Cues);
    }

    [Fact]
    public void An_empty_track_is_valid()
    {
        var parsed = WebVttParser.Parse("WEBVTT\n");
        Assert.True(parsed.Ok);
        Assert.Empty(parsed.Cues);
    }

    [Theory]
    [InlineData("WEBVTTX\n\n00:01.000 --> 00:02.000\nx\n", 1, "starts with the line 'WEBVTT'")]
    [InlineData("1\n00:00:01,000 --> 00:00:02,000\nan srt\n", 1, "WEBVTT")]
    [InlineData("WEBVTT\n\n00:01.000 --> 00:02,000\nx\n", 3, "is not")]
    [InlineData("WEBVTT\n\nid\nno timing\n", 4, "expected a timing line")]
    [InlineData("WEBVTT\n\n00:01.000 --> 00:02.000\nx\n00:03.000 --> 00:04.000\ny\n", 5, "'-->'")]
    public void Names_the_line_of_the_first_problem(string vtt, int line, string problem)
    {
        var parsed = WebVttParser.Parse(vtt);
        Assert.False(parsed.Ok);
        Assert.Equal(line, parsed.Line);
        Assert.Contains(problem, parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void What_the_writer_writes_reads_back_the_same()
    {
        SubtitleCue[] cues = [new(0, 999, "a <i>b</i>"), new(59_999, 3_600_001, "مرحبا\nworld", "align:end")];
        var text = WebVttWriter.Write(cues, mpegTs: 0);
        Assert.StartsWith("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n00:00:00.000 --> 00:00:00.999\na <i>b</i>\n", text, StringComparison.Ordinal);
        Assert.Contains("00:00:59.999 --> 01:00:00.001 align:end\n", text, StringComparison.Ordinal);
        Assert.Equal(cues, WebVttParser.Parse(text).Cues);
    }
}
