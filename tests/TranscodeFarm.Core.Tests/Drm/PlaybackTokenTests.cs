using System.Buffers.Text;
using System.Net;
using System.Text;
using TranscodeFarm.Core.Drm;

namespace TranscodeFarm.Core.Tests.Drm;

public class PlaybackTokenTests
{
    private static readonly byte[] SigningKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Fresh_token_for_the_asset_is_valid()
    {
        var token = PlaybackToken.Create("asset-42", Now.AddMinutes(5), SigningKey);
        Assert.Equal(TokenCheck.Valid, PlaybackToken.Verify(token, "asset-42", Now, SigningKey));
    }

    [Fact]
    public void Payload_is_the_documented_json()
    {
        var token = PlaybackToken.Create("asset-42", Now.AddMinutes(5), SigningKey);
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[0]));
        Assert.Equal($"{{\"a\":\"asset-42\",\"e\":{Now.AddMinutes(5).ToUnixTimeSeconds()}}}", payload);
        Assert.DoesNotContain('=', token);
    }

    [Fact]
    public void Expires_at_the_expiry_second()
    {
        var token = PlaybackToken.Create("asset-42", Now, SigningKey);
        Assert.Equal(TokenCheck.Valid, PlaybackToken.Verify(token, "asset-42", Now.AddSeconds(-1), SigningKey));
        Assert.Equal(TokenCheck.Expired, PlaybackToken.Verify(token, "asset-42", Now, SigningKey));
        Assert.Equal(TokenCheck.Expired, PlaybackToken.Verify(token, "asset-42", Now.AddDays(1), SigningKey));
    }

    [Fact]
    public void Token_for_another_asset_is_refused()
    {
        var token = PlaybackToken.Create("asset-42", Now.AddMinutes(5), SigningKey);
        Assert.Equal(TokenCheck.WrongAsset, PlaybackToken.Verify(token, "asset-43", Now, SigningKey));
    }

    [Fact]
    public void Tampered_payload_or_signature_or_key_fails_the_signature()
    {
        var token = PlaybackToken.Create("asset-42", Now.AddMinutes(5), SigningKey);
        var dot = token.IndexOf('.', StringComparison.Ordinal);

        // Swap in a payload that expires in a year: same length, signature no longer matches.
        var forged = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{{\"a\":\"asset-42\",\"e\":{Now.AddYears(1).ToUnixTimeSeconds()}}}"));
        Assert.Equal(TokenCheck.BadSignature, PlaybackToken.Verify(forged + token[dot..], "asset-42", Now, SigningKey));

        var flipped = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        Assert.Equal(TokenCheck.BadSignature, PlaybackToken.Verify(flipped, "asset-42", Now, SigningKey));

        var otherKey = SigningKey.Select(b => (byte)(b ^ 0xFF)).ToArray();
        Assert.Equal(TokenCheck.BadSignature, PlaybackToken.Verify(token, "asset-42", Now, otherKey));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-dot-at-all")]
    [InlineData(".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("eyJhIjoieCJ9.short")]
    [InlineData("ey?hIjoieCJ9.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Malformed_tokens_are_a_result_not_an_exception(string? token) =>
        Assert.Equal(TokenCheck.Malformed, PlaybackToken.Verify(token, "asset-42", Now, SigningKey));

    [Fact]
    public void Overlong_tokens_are_refused_before_any_work()
    {
        var token = PlaybackToken.Create("asset-42", Now.AddMinutes(5), SigningKey);
        Assert.Equal(TokenCheck.Malformed, PlaybackToken.Verify(new string('A', PlaybackToken.MaxTokenLength) + token, "asset-42", Now, SigningKey));
    }

    [Fact]
    public void Correctly_signed_garbage_payload_is_malformed()
    {
        // What a leaked signing key plus a bug could produce: signature good, payload not ours.
        var body = Base64Url.EncodeToString("[1,2]"u8);
        var mac = System.Security.Cryptography.HMACSHA256.HashData(SigningKey, Encoding.ASCII.GetBytes(body));
        Assert.Equal(TokenCheck.Malformed, PlaybackToken.Verify(body + "." + Base64Url.EncodeToString(mac), "asset-42", Now, SigningKey));
    }

    [Fact]
    public void Short_signing_keys_are_refused() =>
        Assert.Throws<ArgumentException>(() => PlaybackToken.Create("asset-42", Now, new byte[16]));

    [Fact]
    public void Token_bound_to_a_client_verifies_from_that_client_only()
    {
        var token = PlaybackToken.Create("asset-42", Now.AddMinutes(5), SigningKey, IPAddress.Parse("203.0.113.7"));
        Assert.Equal(TokenCheck.Valid, PlaybackToken.Verify(token, "asset-42", Now, SigningKey, IPAddress.Parse("203.0.113.7")));
        Assert.Equal(TokenCheck.WrongClient, PlaybackToken.Verify(token, "asset-42", Now, SigningKey, IPAddress.Parse("203.0.113.8")));
        Assert.Equal(TokenCheck.WrongClient, PlaybackToken.Verify(token, "asset-42", Now, SigningKey, IPAddress.Parse("2001:db8::7")));
        Assert.Equal(TokenCheck.WrongClient, PlaybackToken.Verify(token, "asset-42", Now, SigningKey, clientIp: null));
    }

    [Fact]
    public void Bound_payload_carries_the_canonical_address()
    {
        var token = PlaybackToken.Create("asset-42", Now.AddMinutes(5), SigningKey, IPAddress.Parse("2001:DB8:0:0::1"));
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[0]));
        Assert.Equal($"{{\"a\":\"asset-42\",\"e\":{Now.AddMinutes(5).ToUnixTimeSeconds()},\"ip\":\"2001:db8::1\"}}", payload);
    }

    [Theory]
    [InlineData("::ffff:198.51.100.9", "198.51.100.9")]
    [InlineData("198.51.100.9", "::ffff:198.51.100.9")]
    [InlineData("fe80::1%3", "fe80::1")]
    public void Mapped_ipv6_and_scoped_addresses_are_the_same_client(string bound, string client)
    {
        var token = PlaybackToken.Create("asset-42", Now.AddMinutes(5), SigningKey, IPAddress.Parse(bound));
        Assert.Equal(TokenCheck.Valid, PlaybackToken.Verify(token, "asset-42", Now, SigningKey, IPAddress.Parse(client)));
    }

    [Fact]
    public void Token_without_an_address_verifies_from_any_client()
    {
        var token = PlaybackToken.Create("asset-42", Now.AddMinutes(5), SigningKey);
        Assert.Equal(TokenCheck.Valid, PlaybackToken.Verify(token, "asset-42", Now, SigningKey, IPAddress.Parse("203.0.113.7")));
        Assert.Equal(TokenCheck.Valid, PlaybackToken.Verify(token, "asset-42", Now, SigningKey, IPAddress.IPv6Loopback));
        Assert.Equal(TokenCheck.Valid, PlaybackToken.Verify(token, "asset-42", Now, SigningKey, clientIp: null));
    }

    [Fact]
    public void Other_checks_still_apply_to_bound_tokens()
    {
        var client = IPAddress.Parse("203.0.113.7");
        var token = PlaybackToken.Create("asset-42", Now.AddMinutes(5), SigningKey, client);
        Assert.Equal(TokenCheck.WrongAsset, PlaybackToken.Verify(token, "asset-43", Now, SigningKey, client));
        Assert.Equal(TokenCheck.Expired, PlaybackToken.Verify(token, "asset-42", Now.AddMinutes(5), SigningKey, client));
    }

    [Fact]
    public void Changing_or_removing_the_address_breaks_the_signature()
    {
        var token = PlaybackToken.Create("asset-42", Now.AddMinutes(5), SigningKey, IPAddress.Parse("203.0.113.7"));
        var signature = token[token.IndexOf('.', StringComparison.Ordinal)..];
        var expires = Now.AddMinutes(5).ToUnixTimeSeconds();
        var moved = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{{\"a\":\"asset-42\",\"e\":{expires},\"ip\":\"198.51.100.1\"}}"));
        var unbound = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{{\"a\":\"asset-42\",\"e\":{expires}}}"));
        Assert.Equal(TokenCheck.BadSignature, PlaybackToken.Verify(moved + signature, "asset-42", Now, SigningKey, IPAddress.Parse("198.51.100.1")));
        Assert.Equal(TokenCheck.BadSignature, PlaybackToken.Verify(unbound + signature, "asset-42", Now, SigningKey, IPAddress.Parse("198.51.100.1")));
    }

    [Theory]
    [InlineData("\"not-an-ip\"")]
    [InlineData("\"::FFFF:10.0.0.1\"")] // an address, but not a spelling we sign
    [InlineData("42")]
    [InlineData("null")]
    public void Correctly_signed_but_odd_address_is_malformed(string ip)
    {
        var body = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{{\"a\":\"asset-42\",\"e\":{Now.AddMinutes(5).ToUnixTimeSeconds()},\"ip\":{ip}}}"));
        var mac = System.Security.Cryptography.HMACSHA256.HashData(SigningKey, Encoding.ASCII.GetBytes(body));
        Assert.Equal(TokenCheck.Malformed, PlaybackToken.Verify(body + "." + Base64Url.EncodeToString(mac), "asset-42", Now, SigningKey, IPAddress.Parse("10.0.0.1")));
    }
}
