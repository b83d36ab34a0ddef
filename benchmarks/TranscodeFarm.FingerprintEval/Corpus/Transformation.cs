using System.Globalization;

namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>
/// One way a copy differs from its original, as ffmpeg arguments between the input and the output.
/// <see cref="TrueOffset"/>: where the copy's time 0 sits in the original (query time + offset = original time).
/// </summary>
internal sealed record Transformation(string Name, string Description, IReadOnlyList<string> InputOptions, IReadOnlyList<string> OutputOptions, double TrueOffset = 0, bool AudioOnly = false)
{
    public const double ExcerptSeconds = 10;

    public string Extension => AudioOnly ? ".m4a" : ".mp4";

    public IReadOnlyList<string> Arguments(string input, string output) =>
    [
        "-hide_banner", "-nostats", "-loglevel", "error", "-y",
        .. InputOptions, "-i", "file:" + input,
        .. OutputOptions,
        "-f", AudioOnly ? "ipod" : "mp4", "file:" + output,
    ];

    /// <summary>The list: re-encode, 240p, crop, letterbox, overlay, brightness/contrast, 30→24 fps, excerpt, flip, audio only.</summary>
    public static List<Transformation> All(double seconds)
    {
        // Quality high enough that the named change is the only one (ultrafast keeps the corpus quick to make on 2 cores);
        // the low-bitrate copy is the one that tests compression.
        string[] video = ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "20", "-pix_fmt", "yuv420p"];
        string[] audio = ["-c:a", "aac", "-b:a", "96k"];
        string[] With(params string[] filter) => [.. filter, .. video, .. audio];
        var excerptStart = Math.Round((seconds - ExcerptSeconds) / 2, 1);
        var font = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
        // A channel bug (white box) top right; a caption bottom left when the font is there (drawtext needs one).
        var overlay = "drawbox=x=iw-240:y=24:w=200:h=64:color=white@0.85:t=fill,drawbox=x=iw-228:y=36:w=176:h=40:color=red@0.9:t=fill"
            + (File.Exists(font) ? $",drawtext=fontfile={font}:text='BREAKING  farm news 24/7':x=40:y=h-90:fontsize=44:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=12" : "");
        return
        [
            new("reencode-300k", "H.264 at 300 kb/s, audio 64 kb/s", [], ["-c:v", "libx264", "-preset", "veryfast", "-b:v", "300k", "-maxrate", "300k", "-bufsize", "600k", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k"]),
            new("scale-240p", "downscaled to 426x240", [], With("-vf", "scale=-2:240")),
            new("crop-10pct", "10% crop, centred (5% off each side)", [], With("-vf", "crop=iw*0.9:ih*0.9")),
            new("letterbox", "16:9 picture in a 4:3 frame, black bars", [], With("-vf", "scale=1280:720,pad=1280:960:0:120:black")),
            new("logo-text", "channel bug + caption burnt in", [], With("-vf", overlay)),
            new("bright-contrast", "eq brightness +0.1, contrast 1.3, saturation 1.2", [], With("-vf", "eq=brightness=0.1:contrast=1.3:saturation=1.2")),
            new("fps-24", "30 → 24 fps", [], With("-vf", "fps=24")),
            new("excerpt-10s", $"{ExcerptSeconds:0} s from {excerptStart.ToString(CultureInfo.InvariantCulture)} s", ["-ss", excerptStart.ToString(CultureInfo.InvariantCulture), "-t", ExcerptSeconds.ToString(CultureInfo.InvariantCulture)], [.. video, .. audio], TrueOffset: excerptStart),
            new("hflip", "mirrored left-right", [], With("-vf", "hflip")),
            new("audio-only", "sound only (AAC in .m4a), no picture", [], ["-vn", .. audio], AudioOnly: true),
        ];
    }
}
