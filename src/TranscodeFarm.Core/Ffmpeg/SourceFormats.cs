using System.Text.RegularExpressions;

namespace TranscodeFarm.Core.Ffmpeg;

/// <summary>
/// The one container allow-list for every ffprobe/ffmpeg input a producer supplies (decision 015). ffmpeg picks a
/// demuxer by the content, not the name, and some demuxers open other files or URLs (hls, dash, concat, image2, ...):
/// a text file can make ffmpeg read another producer's file. So every source input is opened with
/// <c>-format_whitelist</c> (these demuxers only) and <c>-protocol_whitelist file</c> (nothing but the local file).
/// ffmpeg checks the whitelist right after detecting the format, before the demuxer reads anything (5.1:
/// avformat_open_input), so a refused playlist never opens what it names. Names are ffmpeg 5.1's demuxer names
/// (`ffmpeg -demuxers`); a demuxer registered under several names (mov) matches any of them.
/// </summary>
public static partial class SourceFormats
{
    /// <summary>Containers producers send, each a self-contained file that names no other file.</summary>
    public static IReadOnlyList<AllowedFormat> Media { get; } =
    [
        new("mov,mp4,m4a,3gp,3g2,mj2", "QuickTime/MP4 family: cameras, phones, editors' exports (external data references are off by default)"),
        new("matroska,webm", "Matroska and WebM: mkv exports, web uploads"),
        new("mpegts", "MPEG-TS: broadcast captures and recorder files"),
        new("mpeg", "MPEG-PS: DVD VOBs and older MPEG-2 files"),
        new("avi", "AVI: older cameras and screen recorders"),
        new("asf", "ASF: Windows Media (wmv/wma)"),
        new("flv", "FLV: legacy streaming archives"),
        new("mxf", "MXF: broadcast and camera masters"),
        new("dv", "DV: tape captures"),
        new("wav", "WAV: uncompressed audio masters"),
        new("mp3", "MP3 (and MP2) audio"),
        new("aac", "raw ADTS AAC audio"),
        new("flac", "FLAC audio"),
        new("ogg", "Ogg (Vorbis, Opus, Theora)"),
        new("gif", "animated GIF (one file; not the image2 sequence demuxer)"),
    ];

    /// <summary>Subtitle demuxers: for subtitle inputs only (none yet), never for a media source.</summary>
    public static IReadOnlyList<AllowedFormat> Subtitles { get; } =
    [
        new("srt", "SubRip"),
        new("ass", "SubStation Alpha"),
        new("webvtt", "WebVTT"),
    ];

    /// <summary>The farm's own encode output, read back by the quality gate.</summary>
    public static IReadOnlyList<AllowedFormat> Ladder { get; } = [Media[0]];

    /// <summary>The value of <c>-format_whitelist</c>.</summary>
    public static string Whitelist(IReadOnlyList<AllowedFormat> formats) => string.Join(',', formats.Select(f => f.DemuxerNames));

    /// <summary>
    /// The input options and the input itself: <c>-format_whitelist LIST -protocol_whitelist file -i file:PATH</c>.
    /// "file:" keeps a name starting with '-' or containing ':' from being read as an option or a protocol.
    /// </summary>
    public static IReadOnlyList<string> Input(string path, IReadOnlyList<AllowedFormat>? formats = null) =>
        ["-format_whitelist", Whitelist(formats ?? Media), "-protocol_whitelist", "file", "-i", "file:" + path];

    /// <summary>The same options for ffprobe through FFMpegCore, which takes them as one string (no user data in it).</summary>
    public static string ProbeOptions => $"-format_whitelist {Whitelist(Media)} -protocol_whitelist file";

    /// <summary>
    /// The detected format when ffmpeg/ffprobe refused the input for not being on the whitelist, else null. ffmpeg logs
    /// the refusal in the detected demuxer's context: "[hls @ 0x55d…] Format not on whitelist 'mov,…'".
    /// </summary>
    public static string? RefusedFormat(string? stderr) =>
        stderr is not null && RefusalPattern().Match(stderr) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>What a producer reads when the format is refused.</summary>
    public static string RefusalReason(string format) => $"not a media file the farm accepts: {format}";

    [GeneratedRegex(@"\[([^\]@\s]+) @ 0x[0-9a-fA-F]+\] Format not on whitelist")]
    private static partial Regex RefusalPattern();
}

/// <summary>One allowed demuxer (ffmpeg's name for it) and why the farm accepts it.</summary>
public sealed record AllowedFormat(string DemuxerNames, string Reason);
