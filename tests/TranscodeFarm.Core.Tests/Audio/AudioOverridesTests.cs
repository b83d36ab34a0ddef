using TranscodeFarm.Core.Planning;

namespace TranscodeFarm.Core.Tests.Audio;

public class AudioOverridesTests
{
    private static readonly AudioSourceInfo[] Source =
    [
        new("aac", 2, 48000) { Index = 0, Language = "eng", IsDefault = true },
        new("aac", 2, 48000) { Index = 1 },
    ];

    [Fact]
    public void Labels_languages_names_default_and_description_by_track_number()
    {
        var (tracks, error) = AudioOverrides.Apply(Source, [new AudioTrackOverride(2, "fr", "Français", Default: true, Description: true)], null);
        Assert.Null(error);
        Assert.Equal(["eng  False False", "fr Français True True"], tracks!.Select(t => $"{t.Language} {t.Title} {t.IsDefault} {t.DescribesVideo}"));
    }

    [Fact]
    public void A_default_language_moves_the_default()
    {
        var (tracks, _) = AudioOverrides.Apply(Source, [new AudioTrackOverride(2, "fra")], "fr");
        Assert.Equal([false, true], tracks!.Select(t => t.IsDefault));
    }

    [Fact]
    public void Refuses_what_the_source_does_not_have()
    {
        Assert.Equal("the sidecar labels audio track 3 but the source has 2 audio tracks", AudioOverrides.Apply(Source, [new AudioTrackOverride(3, "fr")], null).Error);
        Assert.Equal("the sidecar's defaultAudioLanguage 'de' matches none of the source's audio tracks", AudioOverrides.Apply(Source, [], "de").Error);
    }

    [Theory]
    [InlineData(0, "fr", null, "audio[0].track must be the 1-based number of a source audio track (1 to 64, got 0)")]
    [InlineData(1, "French", null, "audio[0].language 'French' is not a BCP 47 or ISO 639 language tag")]
    [InlineData(1, "fr", "", "audio[0].name must be 1 to 100 characters with no control characters")]
    [InlineData(1, "fr", "a\nb", "audio[0].name must be 1 to 100 characters with no control characters")]
    public void Validate_names_the_bad_field(int track, string language, string? name, string expected) =>
        Assert.StartsWith(expected, Assert.Single(AudioOverrides.Validate([new AudioTrackOverride(track, language, name)], null)), StringComparison.Ordinal);

    [Fact]
    public void Validate_refuses_two_defaults_a_repeated_track_and_a_bad_default_language()
    {
        Assert.Contains("audio: more than one track has \"default\": true",
            AudioOverrides.Validate([new AudioTrackOverride(1, Default: true), new AudioTrackOverride(2, Default: true)], null));
        Assert.Contains("audio: track 1 is listed more than once", AudioOverrides.Validate([new AudioTrackOverride(1), new AudioTrackOverride(1)], null));
        Assert.StartsWith("defaultAudioLanguage 'xx-yy-zz-ww'", AudioOverrides.Validate(null, "xx-yy-zz-ww")[0], StringComparison.Ordinal);
        Assert.Empty(AudioOverrides.Validate([new AudioTrackOverride(1, "fr", "Français", true, false)], null));
    }
}
