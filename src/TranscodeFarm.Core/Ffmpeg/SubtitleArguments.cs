namespace TranscodeFarm.Core.Ffmpeg;

/// <summary>
/// ffmpeg's arguments to turn one text subtitle stream of the source into WebVTT on stdout. The input is opened like
/// every source input (the container allow-list, the file protocol only), so nothing but the source is read.
/// </summary>
public static class SubtitleArguments
{
    public static IReadOnlyList<string> ExtractWebVtt(string sourcePath, int streamNumber)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(streamNumber);
        return
        [
            "-hide_banner", "-nostats", "-loglevel", "error",
            .. SourceFormats.Input(sourcePath),
            "-map", $"0:s:{streamNumber}",
            "-c:s", "webvtt",
            "-f", "webvtt",
            "pipe:1",
        ];
    }
}
