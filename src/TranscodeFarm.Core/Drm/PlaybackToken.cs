using System.Buffers;
using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TranscodeFarm.Core.Drm;

public enum TokenCheck
{
    Valid,
    /// <summary>Not a token we issued in shape: wrong length, parts, encoding or payload.</summary>
    Malformed,
    BadSignature,
    Expired,
    /// <summary>A good token, but for another asset.</summary>
    WrongAsset,
    /// <summary>A good token, but bound to another client IP address (or the client's address is unknown).</summary>
    WrongClient,
}

/// <summary>
/// Short-lived, signed permission to play one asset: the one token the edge asks for on the asset's playlists, MPD and
/// segments, on its keys (HLS AES-128 key endpoint) and on the ClearKey license endpoint (shared/DESIGN.md, "one of each").
/// <c>base64url({"a":assetId,"e":unixSeconds[,"ip":"clientIp"]}) "." base64url(HMAC-SHA256(signingKey, first part))</c>.
/// With "ip" the token is good only from that client address, so a leaked URL is no use elsewhere; without it, from any.
/// </summary>
public static class PlaybackToken
{
    public const int MaxTokenLength = 512;
    public const int MaxAssetIdLength = 200;
    public const int MinSigningKeyLength = 32;
    private const int SignatureChars = 43; // base64url of 32 bytes, no padding

    /// <param name="clientIp">Binds the token to this client address; an IPv4-mapped IPv6 address counts as its IPv4 address.</param>
    public static string Create(string assetId, DateTimeOffset expiresAt, ReadOnlySpan<byte> signingKey, IPAddress? clientIp = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(assetId);
        if (assetId.Length > MaxAssetIdLength)
        {
            throw new ArgumentException($"asset ID longer than {MaxAssetIdLength} characters", nameof(assetId));
        }

        CheckSigningKey(signingKey);
        var payload = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(payload))
        {
            json.WriteStartObject();
            json.WriteString("a", assetId);
            json.WriteNumber("e", expiresAt.ToUnixTimeSeconds());
            if (clientIp is not null)
            {
                json.WriteString("ip", CanonicalAddress(clientIp));
            }

            json.WriteEndObject();
        }

        var body = Base64Url.EncodeToString(payload.WrittenSpan);
        var token = body + "." + Sign(body, signingKey);
        return token.Length <= MaxTokenLength
            ? token
            : throw new ArgumentException($"asset ID makes the token longer than {MaxTokenLength} characters", nameof(assetId));
    }

    /// <param name="clientIp">The address the request came from; null when unknown, which only a token without "ip" accepts.</param>
    public static TokenCheck Verify(string? token, string assetId, DateTimeOffset now, ReadOnlySpan<byte> signingKey, IPAddress? clientIp = null)
    {
        ArgumentNullException.ThrowIfNull(assetId);
        CheckSigningKey(signingKey);
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return TokenCheck.Malformed;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || token.Length - dot - 1 != SignatureChars)
        {
            return TokenCheck.Malformed;
        }

        var body = token[..dot];
        if (!body.All(IsBase64UrlChar))
        {
            return TokenCheck.Malformed;
        }

        // Compare the encoded signatures: only the one canonical spelling of the right MAC passes, in constant time.
        var expected = Sign(body, signingKey);
        if (!CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected.AsSpan()), MemoryMarshal.AsBytes(token.AsSpan(dot + 1))))
        {
            return TokenCheck.BadSignature;
        }

        // Only now, with the signature good, is the payload worth reading.
        if (!TryReadPayload(body, out var signedAsset, out var expiresUnix, out var boundIp))
        {
            return TokenCheck.Malformed;
        }

        if (!string.Equals(signedAsset, assetId, StringComparison.Ordinal))
        {
            return TokenCheck.WrongAsset;
        }

        // Before the expiry: a token replayed from another address is reported as shared, however old it is.
        if (boundIp is not null && (clientIp is null || !string.Equals(boundIp, CanonicalAddress(clientIp), StringComparison.Ordinal)))
        {
            return TokenCheck.WrongClient;
        }

        return now.ToUnixTimeSeconds() < expiresUnix ? TokenCheck.Valid : TokenCheck.Expired;
    }

    private static string Sign(string body, ReadOnlySpan<byte> signingKey)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(signingKey, Encoding.ASCII.GetBytes(body), mac);
        return Base64Url.EncodeToString(mac);
    }

    /// <summary>
    /// One spelling per client: a dual-stack socket reports an IPv4 client as ::ffff:a.b.c.d, and the scope id is this
    /// host's interface number, not part of the client's address.
    /// </summary>
    internal static string CanonicalAddress(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        // ScopeId throws for IPv4, hence the family test first.
        return address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0
            ? new IPAddress(address.GetAddressBytes()).ToString()
            : address.ToString();
    }

    private static bool TryReadPayload(string body, out string? assetId, out long expiresUnix, out string? boundIp)
    {
        assetId = null;
        expiresUnix = 0;
        boundIp = null;
        try
        {
            using var doc = JsonDocument.Parse(Base64Url.DecodeFromChars(body), new JsonDocumentOptions { MaxDepth = 2 });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("a", out var a) || a.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("e", out var e) || !e.TryGetInt64(out expiresUnix))
            {
                return false;
            }

            if (root.TryGetProperty("ip", out var ip))
            {
                // We only ever sign the canonical spelling; anything else is not a token we issued.
                if (ip.ValueKind != JsonValueKind.String || !IPAddress.TryParse(ip.GetString(), out var parsed)
                    || !string.Equals(CanonicalAddress(parsed), ip.GetString(), StringComparison.Ordinal))
                {
                    return false;
                }

                boundIp = ip.GetString();
            }

            assetId = a.GetString();
            return assetId is not null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return false;
        }
    }

    private static bool IsBase64UrlChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    private static void CheckSigningKey(ReadOnlySpan<byte> signingKey)
    {
        if (signingKey.Length < MinSigningKeyLength)
        {
            throw new ArgumentException($"signing key must be at least {MinSigningKeyLength} bytes", nameof(signingKey));
        }
    }
}
