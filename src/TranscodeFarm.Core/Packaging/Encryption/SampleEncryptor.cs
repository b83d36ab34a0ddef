using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace TranscodeFarm.Core.Packaging.Encryption;

/// <summary>
/// Encrypts samples in place per ISO/IEC 23001-7. 'cenc': AES-CTR over the protected bytes of a sample as one
/// keystream, a new 8-byte IV per sample. 'cbcs': AES-CBC restarted from the constant IV at each protected range,
/// 1 of every 10 blocks on video, every whole block on audio; a trailing partial block stays clear.
/// </summary>
public sealed class SampleEncryptor : IDisposable
{
    private const int Block = 16;

    private readonly Aes _aes;
    private readonly EncryptionScheme _scheme;
    private readonly SubsampleMap? _subsamples;
    private readonly byte[] _constantIv;
    private ulong _nextIv;

    public SampleEncryptor(TrackInfo track, TrackEncryption encryption)
    {
        if (encryption.Key.Length != 16)
        {
            throw new ArgumentException("content keys are 16 bytes", nameof(encryption));
        }

        _scheme = encryption.Scheme;
        _aes = Aes.Create();
        _aes.Key = encryption.Key;
        _subsamples = track.Kind == TrackKind.Video ? new SubsampleMap(track, encryption.Scheme) : null;
        if (_scheme == EncryptionScheme.Cenc)
        {
            _constantIv = [];
            _nextIv = encryption.Iv.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(encryption.Iv)
                : throw new ArgumentException("'cenc' needs an 8-byte initial IV", nameof(encryption));
        }
        else
        {
            _constantIv = encryption.Iv.Length == 16 ? encryption.Iv : throw new ArgumentException("'cbcs' needs a 16-byte constant IV", nameof(encryption));
        }
    }

    /// <summary>Video: 1 encrypted block in 10 for 'cbcs'. Audio: 0:0 (every whole block).</summary>
    public (byte Crypt, byte Skip) Pattern => _scheme == EncryptionScheme.Cbcs && _subsamples is not null ? ((byte)1, (byte)9) : ((byte)0, (byte)0);

    public int PerSampleIvSize => _scheme == EncryptionScheme.Cenc ? 8 : 0;

    /// <summary>A sample left clear (clear lead): its parameter sets still count for the slices after it.</summary>
    public void Observe(ReadOnlySpan<byte> sample) => _subsamples?.Map(sample);

    public SampleAuxInfo Encrypt(Span<byte> sample)
    {
        var subsamples = _subsamples?.Map(sample);
        if (_scheme == EncryptionScheme.Cenc)
        {
            var iv = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(iv, _nextIv++);
            EncryptCtr(sample, subsamples, iv);
            return new SampleAuxInfo(iv, subsamples);
        }

        if (subsamples is null)
        {
            EncryptCbcsRange(sample, crypt: int.MaxValue, skip: 0);
        }
        else
        {
            var pos = 0;
            foreach (var s in subsamples)
            {
                pos += s.Clear;
                EncryptCbcsRange(sample.Slice(pos, (int)s.Protected), crypt: 1, skip: 9);
                pos += (int)s.Protected;
            }
        }

        return new SampleAuxInfo([], subsamples);
    }

    private void EncryptCtr(Span<byte> sample, Subsample[]? subsamples, byte[] iv)
    {
        long total = subsamples?.Sum(s => (long)s.Protected) ?? sample.Length;
        if (total == 0)
        {
            return;
        }

        var blocks = (int)((total + Block - 1) / Block);
        var counters = ArrayPool<byte>.Shared.Rent(blocks * Block);
        var keystream = ArrayPool<byte>.Shared.Rent(blocks * Block);
        try
        {
            var counterSpan = counters.AsSpan(0, blocks * Block);
            var ivHigh = BinaryPrimitives.ReadUInt64BigEndian(iv);
            for (var i = 0; i < blocks; i++)
            {
                BinaryPrimitives.WriteUInt64BigEndian(counterSpan[(i * Block)..], ivHigh);
                BinaryPrimitives.WriteUInt64BigEndian(counterSpan[((i * Block) + 8)..], (ulong)i);
            }

            var ks = keystream.AsSpan(0, blocks * Block);
            _aes.EncryptEcb(counterSpan, ks, PaddingMode.None);
            if (subsamples is null)
            {
                Xor(sample, ks);
                return;
            }

            int pos = 0, used = 0;
            foreach (var s in subsamples)
            {
                pos += s.Clear;
                Xor(sample.Slice(pos, (int)s.Protected), ks.Slice(used, (int)s.Protected));
                pos += (int)s.Protected;
                used += (int)s.Protected;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(counters);
            ArrayPool<byte>.Shared.Return(keystream);
        }
    }

    /// <summary>CBC over the pattern's encrypted blocks of one protected range, chained from the constant IV.</summary>
    private void EncryptCbcsRange(Span<byte> range, int crypt, int skip)
    {
        var blocks = range.Length / Block;
        if (blocks == 0)
        {
            return;
        }

        Span<byte> chain = stackalloc byte[Block];
        _constantIv.CopyTo(chain);
        if (skip == 0)
        {
            var whole = range[..(blocks * Block)];
            _aes.EncryptCbc(whole, chain, whole, PaddingMode.None); // in place: same buffer in and out is allowed
            return;
        }

        // The skipped blocks are not part of the CBC chain, so the pattern's encrypted blocks are gathered into one
        // buffer, encrypted in one CBC call and scattered back: the same bytes as block-by-block, far fewer calls.
        var period = crypt + skip;
        var selected = ((blocks / period) * crypt) + Math.Min(blocks % period, crypt);
        var gathered = ArrayPool<byte>.Shared.Rent(selected * Block);
        try
        {
            var g = 0;
            for (var b = 0; b < blocks; b++)
            {
                if (b % period < crypt)
                {
                    range.Slice(b * Block, Block).CopyTo(gathered.AsSpan(g++ * Block));
                }
            }

            var span = gathered.AsSpan(0, selected * Block);
            _aes.EncryptCbc(span, chain, span, PaddingMode.None);
            g = 0;
            for (var b = 0; b < blocks; b++)
            {
                if (b % period < crypt)
                {
                    gathered.AsSpan(g++ * Block, Block).CopyTo(range.Slice(b * Block, Block));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(gathered);
        }
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

    public void Dispose() => _aes.Dispose();
}
