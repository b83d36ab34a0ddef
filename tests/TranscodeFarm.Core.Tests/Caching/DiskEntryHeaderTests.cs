using System.Security.Cryptography;
using TranscodeFarm.Core.Caching;

namespace TranscodeFarm.Core.Tests.Caching;

public class DiskEntryHeaderTests
{
    private static DiskEntryHeader Sample() => new(
        "a1/g2/seg-0-00001.m4s", 1_500_000, SHA256.HashData("body"u8), "\"abc\"", "video/iso.segment",
        "public, max-age=31536000, immutable", new DateTimeOffset(2026, 12, 5, 0, 8, 0, TimeSpan.Zero));

    [Fact]
    public void A_header_round_trips()
    {
        var header = Sample();
        var bytes = header.ToBytes();
        Assert.Equal(bytes.Length, DiskEntryHeader.SizeFromPrefix(bytes.AsSpan(0, DiskEntryHeader.PrefixSize)));
        var parsed = DiskEntryHeader.TryParse(bytes);
        Assert.NotNull(parsed);
        Assert.Equal(header.Key, parsed.Key);
        Assert.Equal(header.Length, parsed.Length);
        Assert.Equal(header.BodyHash, parsed.BodyHash);
        Assert.Equal(header.ETag, parsed.ETag);
        Assert.Equal(header.ContentType, parsed.ContentType);
        Assert.Equal(header.CacheControl, parsed.CacheControl);
        Assert.Equal(header.LastModified, parsed.LastModified);
    }

    [Fact]
    public void Empty_strings_round_trip()
    {
        var header = Sample() with { ETag = "", CacheControl = "" };
        var parsed = DiskEntryHeader.TryParse(header.ToBytes());
        Assert.Equal("", parsed!.ETag);
        Assert.Equal("", parsed.CacheControl);
    }

    [Fact]
    public void A_truncated_header_is_refused_at_every_length()
    {
        var bytes = Sample().ToBytes();
        for (var n = 0; n < bytes.Length; n++)
        {
            Assert.Null(DiskEntryHeader.TryParse(bytes.AsSpan(0, n)));
        }
    }

    [Fact]
    public void Wrong_magic_version_or_size_is_refused()
    {
        foreach (var (at, value) in new[] { (0, (byte)'X'), (4, (byte)2), (6, (byte)0), (7, (byte)0xFF) })
        {
            var bytes = Sample().ToBytes();
            bytes[at] = value;
            Assert.Equal(-1, DiskEntryHeader.SizeFromPrefix(bytes));
            Assert.Null(DiskEntryHeader.TryParse(bytes));
        }
    }

    [Fact]
    public void String_lengths_that_run_past_the_header_or_leave_bytes_over_are_refused()
    {
        var bytes = Sample().ToBytes();
        var keyLength = 58; // the first string's length field, after the fixed part
        bytes[keyLength] += 1;
        Assert.Null(DiskEntryHeader.TryParse(bytes));
        bytes[keyLength] -= 2;
        Assert.Null(DiskEntryHeader.TryParse(bytes));
    }

    [Fact]
    public void A_negative_body_length_or_invalid_utf8_is_refused()
    {
        var negative = Sample().ToBytes();
        negative[17] = 0x80; // the body length's top byte
        Assert.Null(DiskEntryHeader.TryParse(negative));

        var utf8 = Sample().ToBytes();
        utf8[60] = 0xFF; // the key's first byte
        Assert.Null(DiskEntryHeader.TryParse(utf8));
    }

    [Fact]
    public void A_file_name_is_the_keys_hex_hash_and_nothing_else_passes_for_one()
    {
        var name = DiskEntryHeader.FileName("a1/g2/seg-0-00001.m4s");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("a1/g2/seg-0-00001.m4s"u8)) + ".obj", name);
        Assert.NotEqual(name, DiskEntryHeader.FileName("a1/g2/seg-0-00002.m4s"));
        Assert.True(DiskEntryHeader.IsEntryName(name));
        Assert.False(DiskEntryHeader.IsEntryName(name.ToUpperInvariant()));
        Assert.False(DiskEntryHeader.IsEntryName(".tmp-" + name));
        Assert.False(DiskEntryHeader.IsEntryName("../" + name[3..]));
        Assert.DoesNotContain('/', name);
    }
}
