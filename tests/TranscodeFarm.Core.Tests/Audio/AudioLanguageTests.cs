using TranscodeFarm.Core.Planning;

namespace TranscodeFarm.Core.Tests.Audio;

public class AudioLanguageTests
{
    [Theory]
    [InlineData("eng", "en")]
    [InlineData("fre", "fr")] // ISO 639-2/B
    [InlineData("fra", "fr")] // ISO 639-2/T
    [InlineData("FR", "fr")]
    [InlineData("ger", "de")]
    [InlineData("en_us", "en-US")]
    [InlineData("pt-br", "pt-BR")]
    [InlineData("zh-hant", "zh-Hant")]
    [InlineData("es-419", "es-419")]
    [InlineData("gsw", "gsw")] // a 3-letter code outside the table is a valid primary subtag
    [InlineData("und", "und")]
    [InlineData("mul", "mul")]
    [InlineData(null, "und")]
    [InlineData("", "und")]
    [InlineData("  ", "und")]
    [InlineData("english", "und")] // a name is not a tag
    [InlineData("e", "und")]
    [InlineData("en-US-x-y-z", "und")]
    [InlineData("en;rm", "und")]
    public void Normalizes_source_and_producer_tags_to_bcp47(string? tag, string expected) =>
        Assert.Equal(expected, AudioLanguage.Normalize(tag));

    [Theory]
    [InlineData("en", "eng")]
    [InlineData("fr", "fra")]
    [InlineData("pt-BR", "por")]
    [InlineData("gsw", "gsw")]
    [InlineData("und", "und")]
    public void Gives_the_iso_639_2_t_code_for_mdhd(string tag, string expected) => Assert.Equal(expected, AudioLanguage.Iso639Part2(tag));

    [Fact]
    public void Names_known_languages_in_english_and_not_unknown_ones()
    {
        Assert.Equal("French", AudioLanguage.EnglishName("fr"));
        Assert.Equal("Portuguese", AudioLanguage.EnglishName("pt-BR"));
        Assert.Null(AudioLanguage.EnglishName("und"));
        Assert.Null(AudioLanguage.EnglishName("gsw"));
    }

    [Fact]
    public void Only_real_tags_are_valid()
    {
        Assert.True(AudioLanguage.IsValid("und"));
        Assert.True(AudioLanguage.IsValid("fre"));
        Assert.False(AudioLanguage.IsValid("French"));
        Assert.False(AudioLanguage.IsValid(""));
        Assert.False(AudioLanguage.IsValid(null));
    }
}
