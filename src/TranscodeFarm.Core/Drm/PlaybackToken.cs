using System.Buffers;
using System.Buffers.Text;
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
}

/// <summary>
/// Short-lived, signed permission to fetch the keys of one asset, for the ClearKey license endpoint and the HLS AES-128
/// key endpoint: <c>base64url({"a":assetId,"e":unixSeconds}) "." base64url(HMAC-SHA256(signingKey, first part))</c>.
/// </summary>
public static class PlaybackToken
{
    public const int MaxTokenLength = 512;
    public const int MaxAssetIdLength = 200;
    public const int MinSigningKeyLength = 32;
    private const int SignatureChars = 43; // base64url of 32 bytes, no padding

    public static string Create(string assetId, DateTimeOffset expiresAt, ReadOnlySpan<byte> signingKey)
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
            json.WriteEndObject();
        }

        var body = Base64Url.EncodeToString(payload.WrittenSpan);
        var token = body + "." + Sign(body, signingKey);
        return token.Length <= MaxTokenLength
            ? token
            : throw new ArgumentException($"asset ID makes the token longer than {MaxTokenLength} characters", nameof(assetId));
    }

    public static TokenCheck Verify(string? token, string assetId, DateTimeOffset now, ReadOnlySpan<byte> signingKey)
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
        if (!TryReadPayload(body, out var signedAsset, out var expiresUnix))
        {
            return TokenCheck.Malformed;
        }

        if (!string.Equals(signedAsset, assetId, StringComparison.Ordinal))
        {
            return TokenCheck.WrongAsset;
        }

        return now.ToUnixTimeSeconds() < expiresUnix ? TokenCheck.Valid : TokenCheck.Expired;
    }

    private static string Sign(string body, ReadOnlySpan<byte> signingKey)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(signingKey, Encoding.ASCII.GetBytes(body), mac);
        return Base64Url.EncodeToString(mac);
    }

    private static bool TryReadPayload(string body, out string? assetId, out long expiresUnix)
    {
        assetId = null;
        expiresUnix = 0;
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
