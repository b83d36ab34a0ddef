using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace TranscodeFarm.Core.Packaging.Encryption;

/// <summary>
/// AES-128-CTR as 'cenc' uses it: the counter block is the sample's 8-byte IV then a 64-bit block count from 0, and
/// the keystream runs on across a sample's protected ranges. One ECB transform lives as long as the track (a one-shot
/// call sets up a cipher context each time, which dominates on ~300-byte audio samples), and the keystream is made in
/// chunks of at most 4 KiB, no more than the sample still needs, so it stays in L1 while it is XORed in.
/// </summary>
internal sealed class AesCtr : IDisposable
{
    private const int Block = 16;
    private const int ChunkBytes = 4096;

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private readonly byte[] _counters = new byte[ChunkBytes];
    private readonly byte[] _keystream = new byte[ChunkBytes];
    private ulong _iv;
    private ulong _block;
    private long _remaining;
    private int _position;
    private int _filled;

    public AesCtr(byte[] key)
    {
        _aes = Aes.Create();
        _aes.Key = key;
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
    }

    /// <summary>Starts a sample's keystream: <paramref name="length"/> protected bytes will follow.</summary>
    public void Start(ulong iv, long length)
    {
        _iv = iv;
        _block = 0;
        _remaining = length;
        _position = _filled = 0;
    }

    /// <summary>XORs the next bytes of the keystream into <paramref name="data"/>, in place.</summary>
    public void Apply(Span<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_position == _filled)
            {
                Refill();
            }

            var n = Math.Min(data.Length, _filled - _position);
            Xor(data[..n], _keystream.AsSpan(_position, n));
            _position += n;
            data = data[n..];
        }
    }

    private void Refill()
    {
        if (_remaining <= 0)
        {
            throw new InvalidOperationException("more bytes were encrypted than Start announced");
        }

        var bytes = (int)Math.Min(ChunkBytes, (_remaining + Block - 1) & ~(Block - 1));
        for (var offset = 0; offset < bytes; offset += Block)
        {
            BinaryPrimitives.WriteUInt64BigEndian(_counters.AsSpan(offset), _iv);
            BinaryPrimitives.WriteUInt64BigEndian(_counters.AsSpan(offset + 8), _block++);
        }

        _ecb.TransformBlock(_counters, 0, bytes, _keystream, 0);
        _remaining -= bytes;
        _position = 0;
        _filled = bytes;
    }

    internal static void Xor(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && data.Length >= Vector<byte>.Count)
        {
            var d = MemoryMarshal.Cast<byte, Vector<byte>>(data);
            var k = MemoryMarshal.Cast<byte, Vector<byte>>(keystream[..data.Length]);
            for (var v = 0; v < d.Length; v++)
            {
                d[v] ^= k[v];
            }

            i = d.Length * Vector<byte>.Count;
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }
    }

    public void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
    }
}
