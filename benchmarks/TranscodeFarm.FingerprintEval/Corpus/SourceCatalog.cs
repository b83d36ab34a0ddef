namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>
/// The originals: six lavfi generators and four photo pieces (photographs from Debian's python3-skimage data, panned
/// and zoomed), each with its own sound (synth melodies, espeak-ng speech, music from Debian's abe-data). Everything
/// differs between originals (seeds, parameters, pictures, passages), so every non-matching pair is a real negative.
/// A picture or sound file that is missing (no Debian package) is replaced by a generated one and said so.
/// </summary>
internal static class SourceCatalog
{
    private static readonly string[] Passages =
    [
        "The farm takes a source file, plans a ladder of renditions, encodes them in a single pass, packages the segments and publishes " +
        "the asset to the object store. Each worker claims a job from the queue, renews its lease while the encode runs, and gives the " +
        "job back when it fails, so another worker can pick it up. Nothing is lost when a machine goes away in the middle of the night.",
        "Every morning the harbour fills with small boats. The fishermen sort their catch on the quay while gulls circle overhead and wait " +
        "for scraps. By noon the market is loud with buyers from the town, arguing over the price of cod and mackerel, and by evening " +
        "the nets hang drying in the low sun along the old stone wall.",
        "To bake the bread, mix four cups of flour with a spoon of salt and a packet of yeast. Add warm water slowly until the dough is " +
        "soft but not sticky, then knead it for ten minutes. Leave it to rise in a warm place for an hour, shape it into a loaf, and bake " +
        "it in a hot oven until the crust is brown and the bottom sounds hollow when you tap it.",
    ];

    public static List<SourceSpec> All(string assetsDir, string workDir, double seconds, bool quick, List<string> notes)
    {
        // mandelbrot's end_pts counts frames: the zoom reaches end_scale at the last frame.
        var mandelbrotFrames = (int)Math.Round(seconds * VideoSpec.Rate);
        string? Photo(string name) => Existing(Path.Combine(assetsDir, "photos", name), notes);
        string? Music(string name) => Existing(Path.Combine(assetsDir, "music", name), notes);
        AudioSpec Speech(int passage, string voice, int wpm) =>
            Tool.OnPath("espeak-ng")
                ? new SpeechAudio(voice, wpm, Passages[passage], Path.Combine(workDir, $"speech-{passage}-{voice}.wav"))
                : Fallback("espeak-ng not installed", 20 + passage, notes);
        AudioSpec Track(string file, double start, double seed) =>
            Music(file) is { } path ? new MusicAudio(path, start) : Fallback($"music {file} missing", seed, notes);

        var all = new List<SourceSpec>
        {
            new("testsrc2", "lavfi testsrc2 (moving test pattern)", new LavfiVideo("testsrc2=size=1280x720:rate=30"), new MelodyAudio(1.3, 3)),
            new("mandelbrot", "lavfi mandelbrot, zooming", new LavfiVideo($"mandelbrot=size=640x360:rate=30:maxiter=160:start_scale=3:end_scale=0.01:end_pts={mandelbrotFrames}"), Speech(0, "en-us", 165)),
            new("life", "lavfi life (Game of Life, seeded)", new LavfiVideo("life=size=640x360:rate=30:mold=10:ratio=0.12:seed=7:life_color=#d0ffd0:death_color=#203040:mold_color=#ff8000", "scale=1280:720:flags=neighbor,"), new MelodyAudio(7.9, 4)),
            new("cellauto", "lavfi cellauto (rule 110, scrolling)", new LavfiVideo("cellauto=size=640x360:rate=30:rule=110:seed=3:random_fill_ratio=0.5:scroll=1", "scale=1280:720:flags=neighbor,"), Track("intro.ogg", 0, 31)),
            new("gradients", "lavfi gradients (slowly turning)", new LavfiVideo("gradients=size=640x360:rate=30:seed=5:speed=0.03:nb_colors=5"), Speech(1, "en-gb-scotland", 150)),
            new("noise", "temporal white noise (no low-frequency structure)", new LavfiVideo("color=c=gray:size=320x180:rate=30,noise=alls=100:allf=t+u", "scale=1280:720:flags=neighbor,"), new MelodyAudio(11.1, 2)),
        };
        AddPhotos(all, "photos-1", [("astronaut.png", Motion.ZoomIn), ("chelsea.png", Motion.PanRight), ("coffee.png", Motion.ZoomOut), ("rocket.jpg", Motion.PanDown)], Photo, Speech(2, "en-us+f3", 175), notes);
        AddPhotos(all, "photos-2", [("hubble_deep_field.jpg", Motion.PanLeft), ("camera.png", Motion.ZoomIn), ("coins.png", Motion.PanRight), ("retina.jpg", Motion.ZoomOut)], Photo, Track("game.ogg", 0, 32), notes);
        AddPhotos(all, "photos-3", [("moon.png", Motion.ZoomOut), ("ihc.png", Motion.PanDown), ("clock_motion.png", Motion.ZoomIn), ("gravel.png", Motion.PanLeft)], Photo, Track("intro.ogg", 35, 33), notes);
        AddPhotos(all, "photo-pan", [("motorcycle_left.png", Motion.PanRight)], Photo, Track("game.ogg", 30, 34), notes);
        return quick ? all.Where(s => s.Name is "testsrc2" or "cellauto" or "gradients" or "photos-1" or "photos-2").ToList() : all;
    }

    private static void AddPhotos(List<SourceSpec> all, string name, (string File, Motion Motion)[] shots, Func<string, string?> photo, AudioSpec audio, List<string> notes)
    {
        var found = shots.Select(s => (Path: photo(s.File), s.Motion)).Where(s => s.Path is not null).Select(s => new PhotoShot(s.Path!, s.Motion)).ToList();
        if (found.Count == 0)
        {
            notes.Add($"{name}: no photographs available, left out");
            return;
        }

        var what = found.Count == 1 ? "one photograph, one continuous pan (no cut)" : $"{found.Count} photographs panned/zoomed, hard cuts";
        all.Add(new SourceSpec(name, $"{what}: {string.Join(", ", found.Select(f => Path.GetFileNameWithoutExtension(f.File)))}", new PhotoVideo(found), audio));
    }

    private static string? Existing(string path, List<string> notes)
    {
        if (File.Exists(path))
        {
            return path;
        }

        notes.Add($"missing {path} (Debian package not fetched?)");
        return null;
    }

    private static MelodyAudio Fallback(string why, double seed, List<string> notes)
    {
        notes.Add($"{why}: a synth melody (seed {seed}) instead");
        return new MelodyAudio(seed, 3);
    }
}
