using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace TranscodeFarm.Core.Caching;

/// <summary>
/// The header of one object in the edge's disk tier (decision 026): what the file holds and how to check it, followed by
/// the body. Layout (little-endian): magic "TFDC", version (u16), header length (u32, all of it), body length (i64),
/// last modified (Unix ms, i64), SHA-256 of the body (32 bytes), then key, ETag, content type and cache control as
/// u16-length-prefixed UTF-8. Everything is bounded, so a damaged file is refused by length, never read past.
/// </summary>
public sealed record DiskEntryHeader(string Key, long Length, byte[] BodyHash, string ETag, string ContentType, string CacheControl, DateTimeOffset LastModified)
{
    public const ushort Version = 1;

    /// <summary>No header is larger: keys, ETags and headers are short; a larger length field means a damaged file.</summary>
    public const int MaxSize = 16 * 1024;

    /// <summary>Enough of a file to know its header's full length.</summary>
    public const int PrefixSize = 10;

    private static ReadOnlySpan<byte> Magic => "TFDC"u8;

    private const int FixedSize = PrefixSize + 8 + 8 + 32;

    private static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);

    /// <summary>The file name of <paramref name="key"/>: the hex SHA-256 of the key, so no key can name a path.</summary>
    public static string FileName(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))) + ".obj";

    /// <summary>True for a name <see cref="FileName"/> could have made (anything else in the directory is not ours).</summary>
    public static bool IsEntryName(string name) =>
        name.Length == 68 && name.EndsWith(".obj", StringComparison.Ordinal) && name.AsSpan(0, 64).ContainsAnyExcept("0123456789abcdef") is false;

    public byte[] ToBytes()
    {
        if (BodyHash.Length != 32)
        {
            throw new ArgumentException("the body hash is a SHA-256 (32 bytes)");
        }

        var strings = new[] { Key, ETag, ContentType, CacheControl }.Select(Encoding.UTF8.GetBytes).ToArray();
        var size = FixedSize + strings.Sum(s => 2 + s.Length);
        if (size > MaxSize || strings.Any(s => s.Length > ushort.MaxValue))
        {
            throw new ArgumentException($"the header of {Key} would be {size} bytes, more than {MaxSize}");
        }

        var bytes = new byte[size];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(span[6..], size);
        BinaryPrimitives.WriteInt64LittleEndian(span[10..], Length);
        BinaryPrimitives.WriteInt64LittleEndian(span[18..], LastModified.ToUnixTimeMilliseconds());
        BodyHash.CopyTo(span[26..]);
        var at = FixedSize;
        foreach (var s in strings)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)s.Length);
            s.CopyTo(span[(at + 2)..]);
            at += 2 + s.Length;
        }

        return bytes;
    }

    /// <summary>The full header length the prefix announces, or -1 when it is not a header of this version.</summary>
    public static int SizeFromPrefix(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length < PrefixSize || !prefix[..4].SequenceEqual(Magic) || BinaryPrimitives.ReadUInt16LittleEndian(prefix[4..]) != Version)
        {
            return -1;
        }

        var size = BinaryPrimitives.ReadInt32LittleEndian(prefix[6..]);
        return size is >= FixedSize + 8 and <= MaxSize ? size : -1;
    }

    /// <summary>Parses a whole header (exactly <see cref="SizeFromPrefix"/> bytes); null for anything malformed.</summary>
    public static DiskEntryHeader? TryParse(ReadOnlySpan<byte> header)
    {
        if (SizeFromPrefix(header) != header.Length)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(header[10..]);
        var modified = BinaryPrimitives.ReadInt64LittleEndian(header[18..]);
        if (length < 0 || modified < -62135596800000L || modified > 253402300799999L)
        {
            return null;
        }

        var hash = header.Slice(26, 32).ToArray();
        var strings = new string[4];
        var at = FixedSize;
        try
        {
            for (var i = 0; i < strings.Length; i++)
            {
                if (at + 2 > header.Length)
                {
                    return null;
                }

                var n = BinaryPrimitives.ReadUInt16LittleEndian(header[at..]);
                if (at + 2 + n > header.Length)
                {
                    return null;
                }

                strings[i] = Strict.GetString(header.Slice(at + 2, n));
                at += 2 + n;
            }
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        // Nothing after the last string: a header with trailing bytes was not written by this version.
        return at == header.Length && strings[0].Length > 0
            ? new DiskEntryHeader(strings[0], length, hash, strings[1], strings[2], strings[3], DateTimeOffset.FromUnixTimeMilliseconds(modified))
            : null;
    }
}
