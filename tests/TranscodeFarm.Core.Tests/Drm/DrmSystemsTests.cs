using TranscodeFarm.Core.Drm;

namespace TranscodeFarm.Core.Tests.Drm;

public class DrmSystemsTests
{
    [Theory]
    [InlineData("widevine", DrmSystem.Widevine)]
    [InlineData("PlayReady", DrmSystem.PlayReady)]
    [InlineData(" CLEARKEY ", DrmSystem.ClearKey)]
    [InlineData("fairplay", DrmSystem.FairPlay)]
    public void Parses_names_case_insensitively(string name, DrmSystem expected) => Assert.Equal(expected, DrmSystems.Parse(name));

    [Fact]
    public void Unknown_name_error_lists_the_valid_ones()
    {
        var ex = Assert.Throws<FormatException>(() => DrmSystems.Parse("primetime"));
        Assert.Contains("'primetime'", ex.Message);
        Assert.Contains("clearkey, widevine, playready, fairplay", ex.Message);
    }

    [Fact]
    public void System_ids_and_names_round_trip()
    {
        Assert.Equal(new Guid("edef8ba9-79d6-4ace-a3c8-27dcd51d21ed"), DrmSystem.Widevine.SystemId());
        Assert.Equal(new Guid("9a04f079-9840-4286-ab92-e65be0885f95"), DrmSystem.PlayReady.SystemId());
        foreach (var system in DrmSystems.All)
        {
            Assert.True(DrmSystems.TryFromSystemId(system.SystemId(), out var back));
            Assert.Equal(system, back);
            Assert.Equal(system, DrmSystems.Parse(system.Name()));
        }

        Assert.False(DrmSystems.TryFromSystemId(Guid.NewGuid(), out _));
    }
}

public class PlayReadyKidTests
{
    [Fact]
    public void Header_kid_is_the_little_endian_guid_layout()
    {
        // 00112233-4455-6677-8899-aabbccddeeff -> 33 22 11 00 | 55 44 | 77 66 | 88 99 aa bb cc dd ee ff
        var expected = Convert.ToBase64String(Convert.FromHexString("33221100554477668899AABBCCDDEEFF"));
        Assert.Equal(expected, PlayReadyKid.ToHeaderValue(new Guid("00112233-4455-6677-8899-aabbccddeeff")));
    }
}
