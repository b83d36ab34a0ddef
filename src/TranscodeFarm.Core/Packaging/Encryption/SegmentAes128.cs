using System.Buffers.Binary;
using System.Security.Cryptography;

namespace TranscodeFarm.Core.Packaging.Encryption;

/// <summary>
/// HLS whole-segment AES-128 (RFC 8216 §5.2): AES-128-CBC with PKCS#7 padding; with no IV attribute the IV is the
/// segment's media sequence number as a 128-bit big-endian integer.
/// </summary>
public static class SegmentAes128
{
    public static byte[] Encrypt(ReadOnlySpan<byte> segment, ReadOnlySpan<byte> key, long mediaSequence)
    {
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        return aes.EncryptCbc(segment, IvFor(mediaSequence), PaddingMode.PKCS7);
    }

    public static byte[] Decrypt(ReadOnlySpan<byte> segment, ReadOnlySpan<byte> key, long mediaSequence)
    {
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        return aes.DecryptCbc(segment, IvFor(mediaSequence), PaddingMode.PKCS7);
    }

    private static byte[] IvFor(long mediaSequence)
    {
        var iv = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(iv.AsSpan(8), mediaSequence);
        return iv;
    }
}
