using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Planning;

namespace TranscodeFarm.Core.Tests;

public class EncodeArgumentBuilderTests
{
    private const string MediaWhitelist = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mpegts,mpeg,avi,asf,flv,mxf,dv,wav,mp3,aac,flac,ogg,gif";

    private static readonly EncodePlan TwoRungs = new(
        "t",
        [
            new PlannedVideo("720p", 1280, 720, 3000, 3300, 6600, "libx264", "veryfast", "high", "3.1"),
            new PlannedVideo("360p", 640, 360, 800, 880, 1760, "libx264", "veryfast", "main", null),
        ],
        [new PlannedAudio("aac", 128, 2, 48000, "aac")],
        4,
        2,
        30,
        10);

    [Fact]
    public void Builds_one_process_with_split_scale_and_one_fragmented_mp4_on_stdout()
    {
        var args = EncodeArgumentBuilder.Build(TwoRungs, "/in/source.mp4");
        string[] expected =
        [
            "-hide_banner", "-nostats", "-loglevel", "error", "-progress", "pipe:2", "-y",
            "-format_whitelist", MediaWhitelist, "-protocol_whitelist", "file",
            "-i", "file:/in/source.mp4", "-map_metadata", "-1",
            "-filter_complex", "[0:v:0]fps=30,split=2[s0][s1];[s0]scale=1280:720:flags=bicubic,setdar=16/9[v0];[s1]scale=640:360:flags=bicubic,setdar=16/9[v1]",
            "-map", "[v0]", "-c:v:0", "libx264", "-b:v:0", "3000k", "-maxrate:v:0", "3300k", "-bufsize:v:0", "6600k", "-preset:v:0", "veryfast", "-profile:v:0", "high", "-level:v:0", "3.1",
            "-map", "[v1]", "-c:v:1", "libx264", "-b:v:1", "800k", "-maxrate:v:1", "880k", "-bufsize:v:1", "1760k", "-preset:v:1", "veryfast", "-profile:v:1", "main",
            "-map", "0:a:0", "-c:a:0", "aac", "-b:a:0", "128k", "-ac:a:0", "2", "-ar:a:0", "48000",
            "-pix_fmt", "yuv420p", "-g", "60", "-keyint_min", "60", "-sc_threshold", "0", "-force_key_frames", "expr:gte(t,n_forced*2)",
            "-f", "mp4", "-movflags", "+empty_moov+default_base_moof+cmaf", "-frag_duration", "1000000", "pipe:1",
        ];
        Assert.Equal(expected, args);
    }

    [Fact]
    public void Fingerprint_frames_split_from_the_source_map_last_as_png_and_chromaprint_is_a_second_output()
    {
        var args = EncodeArgumentBuilder.Build(TwoRungs, "/in/source.mp4", fingerprint: new EncodeFingerprint("/work/audio.fp"));
        string[] expected =
        [
            "-hide_banner", "-nostats", "-loglevel", "error", "-progress", "pipe:2", "-y",
            "-format_whitelist", MediaWhitelist, "-protocol_whitelist", "file",
            "-i", "file:/in/source.mp4", "-map_metadata", "-1",
            "-filter_complex", "[0:v:0]split=2[src][fpsrc];[src]fps=30,split=2[s0][s1];[s0]scale=1280:720:flags=bicubic,setdar=16/9[v0];[s1]scale=640:360:flags=bicubic,setdar=16/9[v1]"
                + ";[fpsrc]fps=2:round=up,scale=64:64:flags=area,format=gray[fp]",
            "-map", "[v0]", "-c:v:0", "libx264", "-b:v:0", "3000k", "-maxrate:v:0", "3300k", "-bufsize:v:0", "6600k", "-preset:v:0", "veryfast", "-profile:v:0", "high", "-level:v:0", "3.1",
            "-map", "[v1]", "-c:v:1", "libx264", "-b:v:1", "800k", "-maxrate:v:1", "880k", "-bufsize:v:1", "1760k", "-preset:v:1", "veryfast", "-profile:v:1", "main",
            "-map", "0:a:0", "-c:a:0", "aac", "-b:a:0", "128k", "-ac:a:0", "2", "-ar:a:0", "48000",
            "-map", "[fp]", "-c:v:2", "png",
            "-pix_fmt", "yuv420p", "-g", "60", "-keyint_min", "60", "-sc_threshold", "0", "-force_key_frames", "expr:gte(t,n_forced*2)",
            "-pix_fmt:v:2", "gray",
            "-f", "mp4", "-movflags", "+empty_moov+default_base_moof+cmaf", "-frag_duration", "1000000", "pipe:1",
            "-map", "0:a:0", "-ac", "1", "-f", "chromaprint", "-fp_format", "raw", "file:/work/audio.fp",
        ];
        Assert.Equal(expected, args);
    }

    [Fact]
    public void Fingerprint_without_audio_or_video_adds_only_what_the_source_has()
    {
        var videoOnly = EncodeArgumentBuilder.Build(TwoRungs with { Audio = [] }, "/in/v.mp4", fingerprint: new EncodeFingerprint(null));
        Assert.DoesNotContain("chromaprint", videoOnly);
        Assert.Equal("png", videoOnly[videoOnly.ToList().IndexOf("[fp]") + 2]);

        var audioOnly = EncodeArgumentBuilder.Build(TwoRungs with { Video = [], OutputFrameRate = null }, "/in/a.wav", fingerprint: new EncodeFingerprint("/w/audio.fp"));
        Assert.DoesNotContain("-filter_complex", audioOnly);
        Assert.DoesNotContain("png", audioOnly);
        Assert.Equal(["-map", "0:a:0", "-ac", "1", "-f", "chromaprint", "-fp_format", "raw", "file:/w/audio.fp"], audioOnly.TakeLast(9));
    }

    [Fact]
    public void An_audio_renditions_filter_applies_to_that_rendition_only()
    {
        var plan = TwoRungs with { Audio = [new PlannedAudio("aac", 128, 2, 48000, "aac"), new PlannedAudio("loud", 96, 2, 48000, "aac", "loudnorm=I=-23")] };

        var args = EncodeArgumentBuilder.Build(plan, "/in/source.mp4");

        var at = args.ToList().IndexOf("-filter:a:1");
        Assert.True(at > 0, string.Join(' ', args));
        Assert.Equal("loudnorm=I=-23", args[at + 1]);
        Assert.DoesNotContain("-filter:a:0", args);
    }

    [Fact]
    public void Each_audio_rendition_maps_its_source_track_and_carries_its_language_and_the_gate_gets_each_tracks_chromaprint()
    {
        var plan = TwoRungs with
        {
            Audio =
            [
                new PlannedAudio("aac-fr", 128, 2, 48000, "aac") { SourceIndex = 1, Label = new AudioTrackLabel("fr", "Français") },
                new PlannedAudio("aac-en", 128, 2, 48000, "aac") { SourceIndex = 0, Label = new AudioTrackLabel("en-US", "English") },
            ],
        };

        var args = EncodeArgumentBuilder.Build(plan, "/in/source.mp4", fingerprint: new EncodeFingerprint("/w/audio.fp") { SourceAudioPrints = [(1, "/w/source-a1.fp")] });
        var joined = string.Join(' ', args);

        Assert.Contains("-map 0:a:1 -c:a:0 aac -b:a:0 128k -ac:a:0 2 -ar:a:0 48000 -metadata:s:a:0 language=fra", joined);
        Assert.Contains("-map 0:a:0 -c:a:1 aac -b:a:1 128k -ac:a:1 2 -ar:a:1 48000 -metadata:s:a:1 language=eng", joined);
        Assert.EndsWith("-map 0:a:0 -ac 1 -f chromaprint -fp_format raw file:/w/audio.fp -map 0:a:1 -ac 1 -f chromaprint -fp_format raw file:/w/source-a1.fp", joined);
    }

    [Fact]
    public void Fingerprint_frames_use_the_same_filter_as_the_standalone_fingerprint_pass()
    {
        var standalone = FingerprintArguments.Build("/in/v.mp4", withVideo: true, chromaprintPath: null);
        var graph = EncodeArgumentBuilder.BuildFilterGraph(TwoRungs, withFingerprint: true);
        Assert.EndsWith(";[fpsrc]" + standalone[standalone.ToList().IndexOf("-vf") + 1] + "[fp]", graph);
    }

    [Fact]
    public void Audio_only_plan_has_no_video_arguments()
    {
        var plan = TwoRungs with { Video = [], OutputFrameRate = null };
        var args = EncodeArgumentBuilder.Build(plan, "/in/a.wav");
        Assert.DoesNotContain("-filter_complex", args);
        Assert.DoesNotContain("-force_key_frames", args);
        Assert.Equal(["-map", "0:a:0"], args.Where(a => a is "-map" or "0:a:0"));
    }

    [Fact]
    public void Hostile_file_names_stay_one_argument_and_never_look_like_options()
    {
        const string name = "/in/-rf $(touch pwned) \"q'.mp4";
        var args = EncodeArgumentBuilder.Build(TwoRungs, name);
        Assert.Equal("file:" + name, args[args.ToList().IndexOf("-i") + 1]);
    }

    [Fact]
    public void Numbers_use_invariant_culture()
    {
        var plan = TwoRungs with { OutputFrameRate = 29.97, GopSeconds = 0.5, SegmentSeconds = 2 };
        var graph = EncodeArgumentBuilder.BuildFilterGraph(plan);
        Assert.StartsWith("[0:v:0]fps=29.97,", graph);
        var args = EncodeArgumentBuilder.Build(plan, "/a", "/b.mp4");
        Assert.Contains("expr:gte(t,n_forced*0.5)", args);
        Assert.Equal("15", args[args.ToList().IndexOf("-g") + 1]);
        Assert.Equal("file:/b.mp4", args[^1]); // an output path is never read as a protocol either
    }

    [Fact]
    public void The_standalone_fingerprint_pass_opens_its_input_under_the_allow_list()
    {
        var args = FingerprintArguments.Build("/up/upload.bin", withVideo: true, chromaprintPath: null);
        Assert.Equal(
            ["-hide_banner", "-nostats", "-loglevel", "error", "-y", "-format_whitelist", MediaWhitelist, "-protocol_whitelist", "file", "-i", "file:/up/upload.bin"],
            args.Take(11));
    }
}
