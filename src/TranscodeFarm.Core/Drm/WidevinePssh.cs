namespace TranscodeFarm.Core.Drm;

/// <summary>
/// The Widevine pssh data: a WidevinePsshData protobuf message. We write only the three fields a packager needs
/// (key_ids = 2, content_id = 4, protection_scheme = 9), by hand, so Core does not need a protobuf dependency.
/// </summary>
public static class WidevinePssh
{
    private const int KeyIdsField = 2;
    private const int ContentIdField = 4;
    private const int ProtectionSchemeField = 9;
    private const int VarintWireType = 0;
    private const int LengthDelimitedWireType = 2;
    private const int MaxContentIdLength = 1024;

    /// <summary>The CENC protection schemes (ISO/IEC 23001-7): "cenc" (AES-CTR), "cbcs" (AES-CBC pattern), "cens", "cbc1".</summary>
    public static IReadOnlyList<string> ProtectionSchemes { get; } = ["cenc", "cbcs", "cens", "cbc1"];

    /// <summary>WidevinePsshData bytes; an empty <paramref name="contentId"/> is left out.</summary>
    public static byte[] Build(IReadOnlyList<Guid> keyIds, string protectionScheme, ReadOnlySpan<byte> contentId = default)
    {
        ArgumentNullException.ThrowIfNull(keyIds);
        ArgumentNullException.ThrowIfNull(protectionScheme);
        if (keyIds.Count == 0)
        {
            throw new ArgumentException("Widevine pssh data needs at least one key ID", nameof(keyIds));
        }

        if (!ProtectionSchemes.Contains(protectionScheme))
        {
            throw new ArgumentException($"protection scheme must be one of {string.Join(", ", ProtectionSchemes)}", nameof(protectionScheme));
        }

        if (contentId.Length > MaxContentIdLength)
        {
            throw new ArgumentException($"content ID longer than {MaxContentIdLength} bytes", nameof(contentId));
        }

        var message = new List<byte>(keyIds.Count * 18 + contentId.Length + 16);
        Span<byte> kid = stackalloc byte[16];
        foreach (var id in keyIds)
        {
            PsshBox.WriteUuid(id, kid);
            WriteBytesField(message, KeyIdsField, kid);
        }

        if (!contentId.IsEmpty)
        {
            WriteBytesField(message, ContentIdField, contentId);
        }

        // The fourcc read as a big-endian uint32: "cenc" = 0x63656E63.
        var fourcc = (uint)protectionScheme[0] << 24 | (uint)protectionScheme[1] << 16 | (uint)protectionScheme[2] << 8 | protectionScheme[3];
        WriteVarint(message, ProtectionSchemeField << 3 | VarintWireType);
        WriteVarint(message, fourcc);
        return [.. message];
    }

    private static void WriteBytesField(List<byte> message, int field, ReadOnlySpan<byte> value)
    {
        WriteVarint(message, (uint)(field << 3 | LengthDelimitedWireType));
        WriteVarint(message, (uint)value.Length);
        foreach (var b in value)
        {
            message.Add(b);
        }
    }

    // Base-128, least significant group first, high bit set on every byte but the last.
    private static void WriteVarint(List<byte> message, uint value)
    {
        while (value >= 0x80)
        {
            message.Add((byte)(value | 0x80));
            value >>= 7;
        }

        message.Add((byte)value);
    }
}
