using System.Text;
using System.Text.Json;
using TranscodeFarm.Core.Drm;

namespace TranscodeFarm.Core.Tests.Drm;

public class ClearKeyLicenseTests
{
    // 00112233-4455-6677-8899-aabbccddeeff as its 16 UUID-order bytes, base64url without padding.
    private const string KidB64 = "ABEiM0RVZneImaq7zN3u_w";
    private static readonly Guid Kid = new("00112233-4455-6677-8899-aabbccddeeff");

    [Fact]
    public void Reads_kids_in_uuid_byte_order()
    {
        Assert.True(ClearKeyLicense.TryParseRequest(Encoding.UTF8.GetBytes($$"""{"kids":["{{KidB64}}","{{KidB64}}=="],"type":"temporary"}"""), out var kids, out var error), error);
        Assert.Equal([Kid], kids);
    }

    [Fact]
    public void Missing_type_means_temporary() =>
        Assert.True(ClearKeyLicense.TryParseRequest(Encoding.UTF8.GetBytes($$"""{"kids":["{{KidB64}}"]}"""), out _, out _));

    [Theory]
    [InlineData("""not json""", "not valid JSON")]
    [InlineData("""{"kids":"ABEiM0RVZneImaq7zN3u_w"}""", "no \"kids\" array")]
    [InlineData("""{"kids":[]}""", "1 to 64 key IDs")]
    [InlineData("""{"kids":["ABEiM0RVZneImaq7zN3u"]}""", "not base64url of 16 bytes")]
    [InlineData("""{"kids":["ABEiM0RVZneImaq7zN3u_w+"]}""", "not base64url of 16 bytes")]
    [InlineData("""{"kids":[42]}""", "not base64url of 16 bytes")]
    [InlineData("""{"kids":["ABEiM0RVZneImaq7zN3u_w"],"type":"persistent-license"}""", "only \"temporary\"")]
    [InlineData("""{"kids":[[[[["x"]]]]]}""", "not valid JSON")]
    public void Rejects_malformed_requests(string json, string expected)
    {
        Assert.False(ClearKeyLicense.TryParseRequest(Encoding.UTF8.GetBytes(json), out var kids, out var error));
        Assert.Null(kids);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_too_many_kids_and_oversized_bodies()
    {
        var many = "{\"kids\":[" + string.Join(',', Enumerable.Repeat($"\"{KidB64}\"", 65)) + "]}";
        Assert.False(ClearKeyLicense.TryParseRequest(Encoding.UTF8.GetBytes(many), out _, out var error));
        Assert.Contains("1 to 64", error, StringComparison.Ordinal);

        var padded = "{\"kids\":[\"" + KidB64 + "\"]" + new string(' ', ClearKeyLicense.MaxRequestBytes) + "}";
        Assert.False(ClearKeyLicense.TryParseRequest(Encoding.UTF8.GetBytes(padded), out _, out error));
        Assert.Contains("over", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Response_is_a_jwk_set_in_base64url_without_padding()
    {
        var key = new ContentKey(Kid, Enumerable.Range(0xF0, 16).Select(i => (byte)i).ToArray(), "all");
        var json = ClearKeyLicense.BuildResponse([key]);
        // f0..ff in base64url: 8PHy8_T19vf4-fr7_P3-_w
        Assert.Equal($$"""{"keys":[{"kty":"oct","kid":"{{KidB64}}","k":"8PHy8_T19vf4-fr7_P3-_w"}],"type":"temporary"}""", json);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("keys").ValueKind);
    }
}
