namespace TranscodeFarm.Core.Subtitles;

/// <summary>A subtitle stream of the source, as the probe found it.</summary>
/// <param name="Number">Its position among the source's subtitle streams: ffmpeg's "-map 0:s:N".</param>
/// <param name="Codec">ffmpeg's codec name: subrip, ass, ssa, mov_text, webvtt, text (text); hdmv_pgs_subtitle, dvd_subtitle, dvb_subtitle (pictures).</param>
public sealed record SubtitleStreamInfo(int Number, string Codec, string? Language, string? Title, bool Forced, bool HearingImpaired, bool Default)
{
    private static readonly string[] TextCodecs = ["subrip", "srt", "ass", "ssa", "mov_text", "webvtt", "text"];

    /// <summary>A text stream ffmpeg can turn into WebVTT; picture subtitles (PGS, VobSub, DVB) would need OCR.</summary>
    public bool IsText => TextCodecs.Contains(Codec, StringComparer.Ordinal);
}
