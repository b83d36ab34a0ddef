using TranscodeFarm.Core.Planning;
using TranscodeFarm.Core.Profiles;

namespace TranscodeFarm.Core.Tests.Audio;

public class AudioPlannerTests
{
    private static readonly AudioRendition Stereo = new() { Name = "aac-stereo", Channels = 2 };
    private static readonly AudioRendition Surround = new() { Name = "aac-51", Channels = 6, BitrateKbps = 256 };

    private static AudioSourceInfo Track(int index, string? language, int channels = 2, string? title = null, bool isDefault = false, bool description = false) =>
        new("aac", channels, 48000) { Index = index, Language = language, Title = title, IsDefault = isDefault, DescribesVideo = description };

    private static LadderProfile Profile(AudioSelection? selection = null, params AudioRendition[] audio) => new()
    {
        Name = "p",
        Audio = audio.Length == 0 ? [Stereo, Surround] : audio,
        AudioSelection = selection ?? new(),
    };

    private static readonly AudioSourceInfo[] Film = [Track(0, "eng", isDefault: true), Track(1, "fre"), Track(2, "eng", 6, "English 5.1"), Track(3, "spa")];

    [Fact]
    public void Every_track_gets_stereo_and_a_multichannel_companion_gives_only_surround()
    {
        var plan = AudioPlanner.Plan(Profile(), Film);
        Assert.Equal(
            ["aac-stereo-en 0 2 en English", "aac-stereo-fr 1 2 fr French", "aac-51-en 2 6 en English 5.1", "aac-stereo-es 3 2 es Spanish"],
            plan.Select(a => $"{a.Name} {a.SourceIndex} {a.Channels} {a.Label!.Language} {a.Label.Name}"));
        Assert.Equal([true, false, false, false], plan.Select(a => a.Label!.IsDefault));
    }

    [Fact]
    public void A_lone_multichannel_track_gives_stereo_and_surround_and_a_stereo_source_no_surround()
    {
        Assert.Equal(["aac-stereo 2", "aac-51 6"], AudioPlanner.Plan(Profile(), [Track(0, "deu", 6)]).Select(a => $"{a.Name} {a.Channels}"));
        Assert.Equal(["aac-stereo 2"], AudioPlanner.Plan(Profile(), [Track(0, "deu")]).Select(a => $"{a.Name} {a.Channels}"));
    }

    [Fact]
    public void One_track_keeps_the_profiles_names_and_old_channel_clamp()
    {
        var plan = AudioPlanner.Plan(Profile(null, Stereo), [Track(0, null, 1)]);
        var only = Assert.Single(plan);
        Assert.Equal(("aac-stereo", 1, "und", "Audio 1"), (only.Name, only.Channels, only.Label!.Language, only.Label.Name));
    }

    [Fact]
    public void With_several_tracks_a_mono_one_is_made_stereo_to_share_the_group()
    {
        var plan = AudioPlanner.Plan(Profile(null, Stereo), [Track(0, "en"), Track(1, "it", 1)]);
        Assert.All(plan, a => Assert.Equal(2, a.Channels));
    }

    [Fact]
    public void A_profile_with_only_surround_keeps_the_old_clamp_for_every_track()
    {
        var plan = AudioPlanner.Plan(Profile(null, Surround), [Track(0, "en")]);
        Assert.Equal(2, Assert.Single(plan).Channels);
    }

    [Fact]
    public void Languages_keep_the_listed_ones_in_the_lists_order_and_the_source_default_stays_default()
    {
        var plan = AudioPlanner.Plan(Profile(new AudioSelection { Languages = ["fra", "en"] }, Stereo), Film);
        Assert.Equal(["aac-stereo-fr", "aac-stereo-en"], plan.Select(a => a.Name)); // the 5.1 companion: no surround rendition in this profile
        Assert.Equal([false, true], plan.Select(a => a.Label!.IsDefault));
    }

    [Fact]
    public void Max_tracks_keeps_the_default_first()
    {
        var kept = AudioPlanner.Select(new AudioSelection { MaxTracks = 2 }, [Track(0, "en"), Track(1, "fr", isDefault: true), Track(2, "es")]);
        Assert.Equal([1, 0], kept.Select(t => t.Index));
    }

    [Fact]
    public void Undecodable_streams_are_left_out_and_a_hostile_track_count_is_capped()
    {
        Assert.Equal([1], AudioPlanner.Select(new AudioSelection(), [new AudioSourceInfo("unknown", 2, 48000) { Index = 0 }, Track(1, "en")]).Select(t => t.Index));
        var many = Enumerable.Range(0, 40).Select(i => Track(i, "en")).ToList();
        Assert.Equal(AudioPlanner.MaxKeptTracks, AudioPlanner.Select(new AudioSelection(), many).Count);
    }

    [Fact]
    public void No_matching_language_keeps_the_default_track_rather_than_silence()
    {
        var kept = AudioPlanner.Select(new AudioSelection { Languages = ["ja"] }, [Track(0, "en"), Track(1, "fr", isDefault: true)]);
        Assert.Equal(1, Assert.Single(kept).Index);
    }

    [Fact]
    public void Audio_description_is_labelled_never_default_and_can_be_dropped()
    {
        AudioSourceInfo[] tracks = [Track(0, "en", description: true, isDefault: true), Track(1, "en")];
        var plan = AudioPlanner.Plan(Profile(null, Stereo), tracks);
        Assert.Equal(["aac-stereo-en 1 English False True", "aac-stereo-en-ad 0 English (audio description) True False"],
            plan.Select(a => $"{a.Name} {a.SourceIndex} {a.Label!.Name} {a.Label.DescribesVideo} {a.Label.IsDefault}"));
        Assert.Equal([1], AudioPlanner.Select(new AudioSelection { AudioDescription = false }, tracks).Select(t => t.Index));
    }

    [Fact]
    public void Names_are_unique_among_kept_tracks_of_a_layout()
    {
        var labels = AudioPlanner.Label([Track(0, "en"), Track(1, "en"), Track(2, "en", 6), Track(3, null), Track(4, "gsw")]);
        Assert.Equal(["English", "English #2", "English", "Audio 4", "gsw"], labels.Values.Select(l => l.Name));
    }
}

public class AudioSelectionProfileTests
{
    [Fact]
    public void A_profile_reads_audio_selection_and_refuses_bad_values_by_name()
    {
        const string Good = """{ "name": "p", "audio": [ { "name": "a" } ], "audioSelection": { "languages": ["en", "fre"], "maxTracks": 2, "audioDescription": false } }""";
        var selection = ProfileParser.Parse(Good, "p.json").Profile!.AudioSelection;
        Assert.Equal(["en", "fre"], selection.Languages);
        Assert.Equal(2, selection.MaxTracks);
        Assert.False(selection.AudioDescription);

        var errors = ProfileParser.Parse("""{ "name": "p", "audio": [ { "name": "a" } ], "audioSelection": { "languages": ["English"], "maxTracks": 0 } }""", "p.json").Errors;
        Assert.Contains(errors, e => e.StartsWith("p.json: audioSelection.languages: 'English' is not a BCP 47", StringComparison.Ordinal));
        Assert.Contains("p.json: audioSelection.maxTracks must be between 1 and 16 (got 0)", errors);
    }
}
