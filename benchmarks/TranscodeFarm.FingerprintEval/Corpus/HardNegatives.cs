namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>
/// The hard-negative set (issue 17): files no original contains, each kind aimed at one way a matcher makes a false
/// claim. Two halves from disjoint seeds, texts, photo orders and speaking rates: thresholds are calibrated on half A
/// and only reported on half B. Speech uses the originals' own espeak-ng voices (the false claims were the same
/// voice saying other words); music uses the originals' synth timbre and tempo with other notes; pictures reuse the
/// originals' photographs with other moves and the originals' lavfi generators with other seeds. One kind reuses an
/// original's music under other pictures: the sound truly matches, so it must be recorded as audio-only, not claimed.
/// </summary>
internal static class HardNegatives
{
    public static readonly string[] Kinds =
    [
        "same-voice speech", "same-instrument music", "same photos, other motion", "credits on black",
        "silence", "black + same-voice speech", "tone", "talking head", "same music, other picture",
    ];

    // The originals' voices and rates (SourceCatalog); half B speaks 12 words a minute faster.
    private static readonly (string Voice, int Wpm)[] Voices = [("en-us", 165), ("en-gb-scotland", 150), ("en-us+f3", 175)];

    private static readonly string[][] Texts =
    [
        [
            "The river rose all night and by morning the lower fields were under water. Farmers moved their cattle to the hill and waited for the rain to stop.",
            "Our new library opens on Monday with longer hours, a reading room for children, and a small cafe by the windows that look over the park.",
            "Take the second turning on the left after the bridge, follow the road past the church, and you will see the station on your right.",
            "The committee met on Tuesday to discuss the budget. After a long debate it agreed to repair the roof before the winter comes.",
            "Bees visit thousands of flowers every day. They carry pollen from one plant to the next, and without them many crops would fail.",
            "In the old city the streets are narrow and steep. Shops sell lamps, carpets and spices, and the call of traders fills the air.",
        ],
        [
            "Light from distant stars takes thousands of years to reach us, so the sky we see tonight is a picture of the past.",
            "Please remember to switch off your phone during the performance. The second half will begin after a short interval of fifteen minutes.",
            "A good bicycle needs little care: keep the chain clean and oiled, check the tyres every week, and the brakes before every ride.",
            "The museum has a new exhibition of maps, some of them five hundred years old, drawn by sailors who had never seen the coasts they charted.",
            "Snow closed the mountain pass on Friday. Drivers were told to wait in the village until the ploughs had cleared the road.",
            "Tomatoes grow best in full sun. Water them at the roots in the morning, and pinch out the side shoots as the plants climb.",
        ],
    ];

    private static readonly string[][] Credits =
    [
        ["Directed by Anna Berg", "Produced by Tom Hale", "Music by Lena Ortiz", "Camera Paul Ng", "Edited by Sara Kim"],
        ["A Northern Light Picture", "Written by Omar Diaz", "Sound by Ivy Chen", "Lighting Max Weber", "Thanks to everyone"],
    ];

    /// <summary>The originals' photographs in other orders and with other moves than <see cref="SourceCatalog"/> gives them.</summary>
    private static readonly string[][] PhotoSets =
    [
        ["coffee.png", "astronaut.png", "gravel.png"], ["retina.jpg", "chelsea.png", "moon.png"], ["coins.png", "rocket.jpg", "ihc.png"],
        ["camera.png", "clock_motion.png", "hubble_deep_field.jpg"], ["motorcycle_left.png", "coffee.png", "coins.png"], ["chelsea.png", "gravel.png", "camera.png"],
    ];

    private static readonly Motion[] OtherMotions = [Motion.PanUp, Motion.PanLeft, Motion.ZoomOut, Motion.PanDown, Motion.ZoomIn, Motion.PanRight];

    /// <summary>The faces and near-faces among the photographs: a talking head is one of them, barely moving.</summary>
    private static readonly string[] Heads = ["astronaut.png", "camera.png", "chelsea.png"];

    /// <param name="perKind">Negatives of each kind in each half.</param>
    public static List<NegativeSpec> All(string assetsDir, string workDir, int perKind, List<string> notes)
    {
        var font = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
        var fontFile = File.Exists(font) ? font : null;
        if (fontFile is null)
        {
            notes.Add("credits on black: DejaVu missing, plain black instead");
        }

        var speech = Tool.OnPath("espeak-ng");
        if (!speech)
        {
            notes.Add("espeak-ng not installed: the speech negatives are left out");
        }

        var all = new List<NegativeSpec>();
        foreach (var (half, h) in new[] { ("A", 0), ("B", 1) })
        {
            var seed = 100 + (h * 100);
            for (var i = 0; i < perKind; i++)
            {
                var n = (h * perKind) + i; // distinct across halves
                string name(string kind) => $"neg{half}-{kind}-{i}";
                AudioSpec Speak(int k)
                {
                    var (voice, wpm) = Voices[k % Voices.Length];
                    var text = (i + k) % Texts[h].Length;
                    return new SpeechAudio(voice, wpm + (h * 12), Texts[h][text], Path.Combine(workDir, $"neg-speech-{half}-{text}-{voice}-{wpm + (h * 12)}.wav"));
                }

                VideoSpec Photos(int k) => Photo(assetsDir, PhotoSets[(n + k) % PhotoSets.Length], (n + k) % OtherMotions.Length);
                var generator = Generators(seed + i)[i % 3];
                var melody = new MelodyAudio(seed + (i * 7.3) + 0.5, new[] { 3.0, 4, 2 }[i % 3]); // the originals' tempos

                if (speech)
                {
                    all.Add(new(new(name("speech"), "same voice, other words, over other photo moves", Photos(0), Speak(i)), Kinds[0], half));
                }

                all.Add(new(new(name("music"), "synth melody: originals' timbre and tempo, other notes", generator, melody), Kinds[1], half));
                all.Add(new(new(name("photos"), "originals' photographs, other order and moves", Photos(3), new MelodyAudio(seed + (i * 3.1) + 50, 5)), Kinds[2], half));
                all.Add(new(new(name("credits"), "scrolling white text on black", new CreditsVideo(Credits[h], i % 2 == 0 ? 60 : 0, fontFile), i % 2 == 0 ? melody : new SilenceAudio()), Kinds[3], half));
                all.Add(new(new(name("silence"), "other picture, digital silence", Generators(seed + 50 + i)[(i + 1) % 3], new SilenceAudio()), Kinds[4], half));
                if (speech)
                {
                    all.Add(new(new(name("black-speech"), "black picture, same voice other words", new LavfiVideo($"color=c=black:size={VideoSpec.Width}x{VideoSpec.Height}:rate={VideoSpec.Rate}"), Speak(i + 1)), Kinds[5], half));
                }

                all.Add(new(new(name("tone"), "colour bars or black with a held tone", i % 2 == 0 ? new LavfiVideo("smptehdbars=size=1280x720:rate=30") : new LavfiVideo("color=c=black:size=1280x720:rate=30"), new ToneAudio(new[] { 1000.0, 440, 997, 523.25 }[(n) % 4])), Kinds[6], half));
                // The originals' own music (abe-data) under other pictures: the sound truly matches, the picture clearly
                // does not: an audio-only record at most, never a claim (decision 012). Half A: intro.ogg, half B: game.ogg.
                var track = Path.Combine(assetsDir, "music", h == 0 ? "intro.ogg" : "game.ogg");
                if (File.Exists(track))
                {
                    all.Add(new(new(name("music-bed"), "an original's music under other photo moves", Photos(1), new MusicAudio(track, 2 + (4 * i))), Kinds[8], half));
                }

                if (speech)
                {
                    all.Add(new(new(name("head"), "one face barely moving, same voice other words", Photo(assetsDir, [Heads[n % Heads.Length]], -1), Speak(i + 2)), Kinds[7], half));
                }
            }
        }

        return all;
    }

    /// <summary>The originals' generators (life, cellauto, gradients) with other seeds.</summary>
    private static VideoSpec[] Generators(int seed) =>
    [
        new LavfiVideo($"life=size=640x360:rate=30:mold=10:ratio=0.12:seed={seed}:life_color=#d0ffd0:death_color=#203040:mold_color=#ff8000", "scale=1280:720:flags=neighbor,"),
        new LavfiVideo($"cellauto=size=640x360:rate=30:rule=110:seed={seed}:random_fill_ratio=0.5:scroll=1", "scale=1280:720:flags=neighbor,"),
        new LavfiVideo($"gradients=size=640x360:rate=30:seed={seed}:speed=0.03:nb_colors=5"),
    ];

    /// <param name="motion">Index into the other motions, or -1 for a talking head's drift.</param>
    private static VideoSpec Photo(string assetsDir, IReadOnlyList<string> files, int motion)
    {
        var shots = files.Select(f => Path.Combine(assetsDir, "photos", f)).Where(File.Exists)
            .Select((path, k) => new PhotoShot(path, motion < 0 ? Motion.Drift : OtherMotions[(motion + k) % OtherMotions.Length])).ToList();
        return shots.Count > 0
            ? new PhotoVideo(shots)
            : new LavfiVideo($"gradients=size=640x360:rate=30:seed={900 + motion}:speed=0.05:nb_colors=4");
    }
}
