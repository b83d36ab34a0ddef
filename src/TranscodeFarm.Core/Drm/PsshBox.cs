using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace TranscodeFarm.Core.Drm;

/// <summary>A parsed pssh box. Version 0 boxes carry no KID list (the DRM-specific data may).</summary>
public sealed record PsshContent(Guid SystemId, int Version, IReadOnlyList<Guid> KeyIds, byte[] Data);

/// <summary>
/// ISO/IEC 23001-7 'pssh' (Protection System Specific Header) boxes. System IDs and KIDs are written as the 16 bytes
/// of the UUID in network (big-endian) order, the order every CDM and packager reads them in.
/// </summary>
public static class PsshBox
{
    // size(4) + 'pssh'(4) + version/flags(4) + SystemID(16) + DataSize(4)
    private const int MinimumLength = 32;
    private const int MaxKeyIds = 1024;
    private static ReadOnlySpan<byte> BoxType => "pssh"u8;

    /// <summary>Version 1 (with a KID list) when <paramref name="keyIds"/> is non-empty, else version 0.</summary>
    public static byte[] Build(Guid systemId, IReadOnlyList<Guid> keyIds, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(keyIds);
        if (keyIds.Count > MaxKeyIds)
        {
            throw new ArgumentException($"at most {MaxKeyIds} key IDs fit in one pssh box", nameof(keyIds));
        }

        var version = keyIds.Count > 0 ? 1 : 0;
        var size = MinimumLength + (version == 1 ? 4 + (16 * keyIds.Count) : 0) + (long)data.Length;
        if (size > int.MaxValue)
        {
            throw new ArgumentException("pssh data too large", nameof(data));
        }

        var box = new byte[size];
        var span = box.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)size);
        BoxType.CopyTo(span[4..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], (uint)version << 24); // flags are always 0
        WriteUuid(systemId, span[12..]);
        var at = 28;
        if (version == 1)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span[at..], (uint)keyIds.Count);
            at += 4;
            foreach (var kid in keyIds)
            {
                WriteUuid(kid, span[at..]);
                at += 16;
            }
        }

        BinaryPrimitives.WriteUInt32BigEndian(span[at..], (uint)data.Length);
        data.CopyTo(span[(at + 4)..]);
        return box;
    }

    /// <summary>
    /// ClearKey (W3C "cenc" init data / DASH-IF): version 1 with the KIDs and no data, so the browser can put the KIDs
    /// straight into its license request.
    /// </summary>
    public static byte[] ForClearKey(IReadOnlyList<Guid> keyIds)
    {
        ArgumentNullException.ThrowIfNull(keyIds);
        if (keyIds.Count == 0)
        {
            throw new ArgumentException("a ClearKey pssh needs at least one key ID", nameof(keyIds));
        }

        return Build(DrmSystems.ClearKeyId, keyIds, []);
    }

    /// <summary>
    /// Widevine: version 0 with the KIDs inside the WidevinePsshData, the form every Widevine CDM generation accepts.
    /// </summary>
    public static byte[] ForWidevine(IReadOnlyList<Guid> keyIds, string protectionScheme, ReadOnlySpan<byte> contentId = default) =>
        Build(DrmSystems.WidevineId, [], WidevinePssh.Build(keyIds, protectionScheme, contentId));

    /// <summary>Parses exactly one whole box; anything left over, cut short or inconsistent is an error.</summary>
    public static bool TryParse(ReadOnlySpan<byte> box, [NotNullWhen(true)] out PsshContent? pssh, [NotNullWhen(false)] out string? error)
    {
        pssh = null;
        if (box.Length < MinimumLength)
        {
            error = $"pssh box is {box.Length} bytes, shorter than the {MinimumLength}-byte minimum";
            return false;
        }

        var size = BinaryPrimitives.ReadUInt32BigEndian(box);
        if (!box.Slice(4, 4).SequenceEqual(BoxType))
        {
            error = "not a pssh box (box type is not 'pssh')";
            return false;
        }

        if (size != box.Length)
        {
            // size 0 ("to end of file") and 1 (64-bit largesize) never occur for a pssh; treat them as mismatches too.
            error = $"pssh box size field says {size} bytes but {box.Length} were given";
            return false;
        }

        var version = box[8];
        if (version > 1)
        {
            error = $"pssh version {version} is not supported (only 0 and 1)";
            return false;
        }

        var systemId = ReadUuid(box[12..]);
        var rest = box[28..];
        var kids = new List<Guid>();
        if (version == 1)
        {
            var count = BinaryPrimitives.ReadUInt32BigEndian(rest);
            rest = rest[4..];
            // Compare against what is actually there before multiplying, so a huge count cannot overflow or allocate.
            if (count > MaxKeyIds || count > (uint)Math.Max(0, rest.Length - 4) / 16)
            {
                error = $"pssh KID_count {count} does not fit in the box";
                return false;
            }

            for (var i = 0; i < count; i++)
            {
                kids.Add(ReadUuid(rest));
                rest = rest[16..];
            }
        }

        if (rest.Length < 4)
        {
            error = "pssh box ends before its DataSize field";
            return false;
        }

        var dataSize = BinaryPrimitives.ReadUInt32BigEndian(rest);
        if (dataSize != rest.Length - 4)
        {
            error = $"pssh DataSize {dataSize} does not match the {rest.Length - 4} bytes left in the box";
            return false;
        }

        pssh = new PsshContent(systemId, version, kids, rest[4..].ToArray());
        error = null;
        return true;
    }

    internal static void WriteUuid(Guid id, Span<byte> destination)
    {
        if (!id.TryWriteBytes(destination, bigEndian: true, out _))
        {
            throw new ArgumentException("destination too small for a UUID", nameof(destination));
        }
    }

    internal static Guid ReadUuid(ReadOnlySpan<byte> source) => new(source[..16], bigEndian: true);
}
