using TranscodeFarm.Core.Drm;

namespace TranscodeFarm.Core.Tests.Drm;

public class KeySealerTests
{
    private static readonly byte[] Master = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
    private static readonly Guid Kid = new("00112233-4455-6677-8899-aabbccddeeff");
    private static readonly byte[] Key = Enumerable.Range(0xA0, 16).Select(i => (byte)i).ToArray();

    [Fact]
    public void Seals_and_opens()
    {
        var aad = KeySealer.AssociatedData("asset-1", Kid);
        var sealedKey = KeySealer.Seal(Master, Key, aad);
        Assert.Equal(1 + 12 + 16 + 16, sealedKey.Length);
        Assert.Equal(KeySealer.FormatVersion, sealedKey[0]);
        Assert.True(KeySealer.TryOpen(Master, sealedKey, aad, out var opened));
        Assert.Equal(Key, opened);
    }

    [Fact]
    public void Same_key_sealed_twice_differs_because_of_the_random_nonce() =>
        Assert.NotEqual(KeySealer.Seal(Master, Key, []), KeySealer.Seal(Master, Key, []));

    [Fact]
    public void A_sealed_key_copied_to_another_asset_or_kid_does_not_open()
    {
        var sealedKey = KeySealer.Seal(Master, Key, KeySealer.AssociatedData("asset-1", Kid));
        Assert.False(KeySealer.TryOpen(Master, sealedKey, KeySealer.AssociatedData("asset-2", Kid), out var opened));
        Assert.Null(opened);
        Assert.False(KeySealer.TryOpen(Master, sealedKey, KeySealer.AssociatedData("asset-1", Guid.NewGuid()), out _));
    }

    [Fact]
    public void Associated_data_is_unambiguous() =>
        // Without the length prefix "ab" + KID bytes could equal "a" + "b..." shifted.
        Assert.NotEqual(KeySealer.AssociatedData("a", Kid), KeySealer.AssociatedData("ab", Kid));

    [Fact]
    public void Any_flipped_bit_or_wrong_master_key_fails()
    {
        var aad = KeySealer.AssociatedData("asset-1", Kid);
        var sealedKey = KeySealer.Seal(Master, Key, aad);
        for (var i = 0; i < sealedKey.Length; i++)
        {
            var tampered = (byte[])sealedKey.Clone();
            tampered[i] ^= 0x01;
            Assert.False(KeySealer.TryOpen(Master, tampered, aad, out _), $"byte {i}");
        }

        var otherMaster = (byte[])Master.Clone();
        otherMaster[0] ^= 0x80;
        Assert.False(KeySealer.TryOpen(otherMaster, sealedKey, aad, out _));
        Assert.False(KeySealer.TryOpen(Master, sealedKey.AsSpan(0, 20), aad, out _));
    }

    [Fact]
    public void Master_key_must_be_32_bytes() =>
        Assert.Throws<ArgumentException>(() => KeySealer.Seal(new byte[16], Key, []));
}

public class MasterKeyTests
{
    [Fact]
    public void Accepts_hex_and_base64()
    {
        var bytes = Enumerable.Range(0, 32).Select(i => (byte)(255 - i)).ToArray();
        Assert.Equal(bytes, MasterKey.Parse(Convert.ToHexString(bytes).ToLowerInvariant()));
        Assert.Equal(bytes, MasterKey.Parse("  " + Convert.ToBase64String(bytes) + "\n"));
    }

    [Theory]
    [InlineData("c2VjcmV0LXRoYXQtaXMtdG9vLXNob3J0", "decodes from base64 to 24 bytes")]
    [InlineData("hunter2-is-not-a-key!", "neither 64 hex digits nor base64")]
    [InlineData("   ", "empty")]
    public void Errors_say_what_is_wrong_without_echoing_the_value(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => MasterKey.Parse(text));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        if (text.Trim().Length > 0)
        {
            Assert.DoesNotContain(text.Trim(), ex.Message, StringComparison.Ordinal);
        }
    }
}
