namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>One original of the corpus: its picture, its sound, and a line saying what it is.</summary>
internal sealed record SourceSpec(string Name, string Description, VideoSpec Video, AudioSpec Audio)
{
    /// <summary>The ffmpeg arguments that make it: 1280x720 30 fps H.264 (ultrafast, CRF 18) and AAC, <paramref name="seconds"/> long.</summary>
    public IReadOnlyList<string> Arguments(double seconds, string output)
    {
        var (videoInputs, videoGraph) = Video.Build(seconds, 0);
        var inputCount = videoInputs.Count(a => a == "-i");
        var (audioInputs, audioGraph) = Audio.Build(seconds, inputCount);
        return
        [
            "-hide_banner", "-nostats", "-loglevel", "error", "-y",
            .. videoInputs, .. audioInputs,
            "-filter_complex", videoGraph + ";" + audioGraph,
            "-map", "[v]", "-map", "[a]", "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-g", "60", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "160k", "-ac", "2",
            "-f", "mp4", "file:" + output,
        ];
    }
}
