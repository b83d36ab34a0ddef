using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace TranscodeFarm.Core.Drm;

/// <summary>
/// The W3C Encrypted Media Extensions ClearKey license exchange (JSON Web Key set). KIDs travel as unpadded base64url
/// of the same 16 big-endian bytes that are in the pssh and tenc boxes.
/// </summary>
public static class ClearKeyLicense
{
    public const int MaxKeyIds = 64;
    public const int MaxRequestBytes = 8 * 1024;
    public const string SessionType = "temporary";

    /// <summary>
    /// Reads <c>{"kids":["base64url",...],"type":"temporary"}</c>. Only temporary sessions are served; a missing type
    /// means temporary. Repeated KIDs are reported once.
    /// </summary>
    public static bool TryParseRequest(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out IReadOnlyList<Guid>? keyIds, [NotNullWhen(false)] out string? error)
    {
        keyIds = null;
        if (utf8Json.Length > MaxRequestBytes)
        {
            error = $"license request is over {MaxRequestBytes} bytes";
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { MaxDepth = 3 });
            error = ReadRequest(doc.RootElement, out var kids);
            keyIds = kids;
            return error is null;
        }
        catch (JsonException)
        {
            error = "license request is not valid JSON";
            return false;
        }
    }

    /// <summary><c>{"keys":[{"kty":"oct","kid":"..","k":".."}],"type":"temporary"}</c>, base64url without padding.</summary>
    public static string BuildResponse(IReadOnlyList<ContentKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("keys");
            Span<byte> kid = stackalloc byte[16];
            foreach (var key in keys)
            {
                PsshBox.WriteUuid(key.KeyId, kid);
                json.WriteStartObject();
                json.WriteString("kty", "oct");
                json.WriteString("kid", Base64Url.EncodeToString(kid));
                json.WriteString("k", Base64Url.EncodeToString(key.Key));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("type", SessionType);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string? ReadRequest(JsonElement root, out List<Guid>? keyIds)
    {
        keyIds = null;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kids", out var kids) || kids.ValueKind != JsonValueKind.Array)
        {
            return "license request has no \"kids\" array";
        }

        if (root.TryGetProperty("type", out var type) && (type.ValueKind != JsonValueKind.String || type.GetString() != SessionType))
        {
            return $"only \"{SessionType}\" license sessions are supported";
        }

        var count = kids.GetArrayLength();
        if (count is 0 or > MaxKeyIds)
        {
            return $"license request must name 1 to {MaxKeyIds} key IDs, it names {count}";
        }

        var ids = new List<Guid>(count);
        Span<byte> bytes = stackalloc byte[16];
        foreach (var item in kids.EnumerateArray())
        {
            // 16 bytes are 22 base64url characters; tolerate the "==" some players add anyway.
            var text = item.ValueKind == JsonValueKind.String ? item.GetString()!.TrimEnd('=') : "";
            if (text.Length != 22 || !Base64Url.TryDecodeFromChars(text, bytes, out var written) || written != 16)
            {
                return "license request has a key ID that is not base64url of 16 bytes";
            }

            var id = new Guid(bytes, bigEndian: true);
            if (!ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        keyIds = ids;
        return null;
    }
}
