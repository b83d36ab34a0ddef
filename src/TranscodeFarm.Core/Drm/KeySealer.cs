using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace TranscodeFarm.Core.Drm;

/// <summary>
/// Content keys at rest: AES-256-GCM under the farm's master key. Sealed form is
/// <c>version(1) | nonce(12) | tag(16) | ciphertext</c>. The associated data (see <see cref="AssociatedData"/>) is
/// authenticated but not stored, so a sealed key copied onto another asset's or KID's row fails to open.
/// </summary>
public static class KeySealer
{
    public const byte FormatVersion = 1;
    public const int MasterKeyLength = 32;
    private const int NonceLength = 12; // AesGcm.NonceByteSizes.MaxSize
    private const int TagLength = 16;
    private const int HeaderLength = 1 + NonceLength + TagLength;

    public static byte[] Seal(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        CheckMasterKey(masterKey);
        var sealedData = new byte[HeaderLength + plaintext.Length];
        var span = sealedData.AsSpan();
        span[0] = FormatVersion;
        var nonce = span.Slice(1, NonceLength);
        // Random 96-bit nonces: safe for far more than the 2^32 seals one master key will ever see.
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(masterKey, TagLength);
        aes.Encrypt(nonce, plaintext, span[HeaderLength..], span.Slice(1 + NonceLength, TagLength), associatedData);
        return sealedData;
    }

    /// <summary>False for a wrong master key, wrong associated data, any tampering, or an unknown format.</summary>
    public static bool TryOpen(
        ReadOnlySpan<byte> masterKey,
        ReadOnlySpan<byte> sealedData,
        ReadOnlySpan<byte> associatedData,
        [NotNullWhen(true)] out byte[]? plaintext)
    {
        CheckMasterKey(masterKey);
        plaintext = null;
        if (sealedData.Length < HeaderLength || sealedData[0] != FormatVersion)
        {
            return false;
        }

        var opened = new byte[sealedData.Length - HeaderLength];
        try
        {
            using var aes = new AesGcm(masterKey, TagLength);
            aes.Decrypt(sealedData.Slice(1, NonceLength), sealedData[HeaderLength..], sealedData.Slice(1 + NonceLength, TagLength), opened, associatedData);
        }
        catch (CryptographicException)
        {
            // AuthenticationTagMismatchException: wrong key, wrong associated data, or altered bytes.
            return false;
        }

        plaintext = opened;
        return true;
    }

    /// <summary>
    /// Binds a sealed content key to its asset and KID. Length-prefixed so no two (asset, KID) pairs encode the same.
    /// </summary>
    public static byte[] AssociatedData(string assetId, Guid keyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(assetId);
        var label = "transcodefarm/content-key/v1"u8;
        var asset = Encoding.UTF8.GetBytes(assetId);
        var data = new byte[label.Length + 4 + asset.Length + 16];
        var span = data.AsSpan();
        label.CopyTo(span);
        BinaryPrimitives.WriteInt32BigEndian(span[label.Length..], asset.Length);
        asset.CopyTo(span[(label.Length + 4)..]);
        PsshBox.WriteUuid(keyId, span[^16..]);
        return data;
    }

    private static void CheckMasterKey(ReadOnlySpan<byte> masterKey)
    {
        if (masterKey.Length != MasterKeyLength)
        {
            throw new ArgumentException($"master key must be {MasterKeyLength} bytes (AES-256), got {masterKey.Length}", nameof(masterKey));
        }
    }
}
