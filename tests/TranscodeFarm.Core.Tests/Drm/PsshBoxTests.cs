using TranscodeFarm.Core.Drm;

namespace TranscodeFarm.Core.Tests.Drm;

public class PsshBoxTests
{
    // Every byte differs, so any byte-order mix-up shows.
    private static readonly Guid Kid = new("00112233-4455-6677-8899-aabbccddeeff");

    [Fact]
    public void ClearKey_box_is_version_1_with_big_endian_ids_and_no_data()
    {
        var box = PsshBox.ForClearKey([Kid]);
        var expected = Convert.FromHexString(
            "00000034" + "70737368" + "01000000"      // size 52, 'pssh', version 1, flags 0
            + "1077efecc0b24d02ace33c1e52e2fb4b"     // SystemID as written in the GUID text
            + "00000001" + "00112233445566778899aabbccddeeff" // KID_count, KID in UUID order (not 33221100 5544 7766...)
            + "00000000");                           // DataSize
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(box));
    }

    [Fact]
    public void No_key_ids_means_version_0()
    {
        var box = PsshBox.Build(DrmSystems.PlayReadyId, [], [0xAB, 0xCD]);
        Assert.Equal("00000022" + "70737368" + "00000000" + "9A04F07998404286AB92E65BE0885F95" + "00000002" + "ABCD", Convert.ToHexString(box));
    }

    [Fact]
    public void Parses_what_it_builds()
    {
        var second = Guid.NewGuid();
        var box = PsshBox.Build(DrmSystems.WidevineId, [Kid, second], [1, 2, 3]);
        Assert.True(PsshBox.TryParse(box, out var pssh, out var error), error);
        Assert.Equal(DrmSystems.WidevineId, pssh.SystemId);
        Assert.Equal(1, pssh.Version);
        Assert.Equal([Kid, second], pssh.KeyIds);
        Assert.Equal([1, 2, 3], pssh.Data);
    }

    [Fact]
    public void Widevine_box_is_version_0_with_the_kids_in_the_protobuf()
    {
        var box = PsshBox.ForWidevine([Kid], "cenc");
        Assert.True(PsshBox.TryParse(box, out var pssh, out _));
        Assert.Equal(0, pssh.Version);
        Assert.Empty(pssh.KeyIds);
        Assert.Equal(WidevinePssh.Build([Kid], "cenc"), pssh.Data);
    }

    public static TheoryData<string, string> Broken => new()
    {
        { "00000020707373680000000000", "shorter" },
        { "00000020" + "6D6F6F76" + "00000000" + new string('0', 32) + "00000000", "not a pssh" },
        { "00000021" + "70737368" + "00000000" + new string('0', 32) + "00000000", "size field says 33" },
        { "00000020" + "70737368" + "02000000" + new string('0', 32) + "00000000", "version 2" },
        // version 1 claiming a huge KID_count
        { "00000024" + "70737368" + "01000000" + new string('0', 32) + "FFFFFFFF" + "00000000", "KID_count" },
        { "00000021" + "70737368" + "00000000" + new string('0', 32) + "00000002" + "AA", "DataSize 2" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Rejects_broken_boxes(string hex, string expectedError)
    {
        Assert.False(PsshBox.TryParse(Convert.FromHexString(hex), out var pssh, out var error));
        Assert.Null(pssh);
        Assert.Contains(expectedError, error, StringComparison.Ordinal);
    }
}

public class WidevinePsshTests
{
    private static readonly Guid Kid = new("00112233-4455-6677-8899-aabbccddeeff");

    [Fact]
    public void Known_bytes_for_one_kid_and_cenc()
    {
        // key_ids (field 2, wire type 2): tag (2 << 3) | 2 = 0x12, length 0x10, then the 16 KID bytes in UUID order.
        // protection_scheme (field 9, wire type 0): tag (9 << 3) | 0 = 0x48, then 'cenc' = 0x63656E63 as a varint.
        // 0x63656E63 = 01100011 01100101 01101110 01100011; 7-bit groups from the low end:
        //   1100011 -> 0xE3 (0x63 | 0x80), 1011100 -> 0xDC, 0010101 -> 0x95, 0011011 -> 0x9B, 0110 -> 0x06 (last, no 0x80).
        Assert.Equal(
            "1210" + "00112233445566778899AABBCCDDEEFF" + "48" + "E3DC959B06",
            Convert.ToHexString(WidevinePssh.Build([Kid], "cenc")));
    }

    [Fact]
    public void Content_id_and_cbcs()
    {
        // content_id (field 4, wire type 2): tag 0x22, length 3, "abc". 'cbcs' = 0x63626373:
        // 01100011 01100010 01100011 01110011 -> 1110011 -> 0xF3, 1000110 -> 0xC6, 0001001 -> 0x89, 0011011 -> 0x9B, 0110 -> 0x06.
        Assert.Equal(
            "1210" + "00112233445566778899AABBCCDDEEFF" + "2203616263" + "48" + "F3C6899B06",
            Convert.ToHexString(WidevinePssh.Build([Kid], "cbcs", "abc"u8)));
    }

    [Fact]
    public void Rejects_unknown_scheme_and_no_kids()
    {
        Assert.Throws<ArgumentException>(() => WidevinePssh.Build([Kid], "aes1"));
        Assert.Throws<ArgumentException>(() => WidevinePssh.Build([], "cenc"));
    }
}
