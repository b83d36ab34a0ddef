using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace TranscodeFarm.Core.Quality;

/// <summary>
/// Undoes 'cenc' (AES-CTR over the protected ranges, one counter run per sample) and 'cbcs' (AES-CBC over the pattern's
/// encrypted blocks of each protected range, the constant IV restarting per range) in place, from ISO/IEC 23001-7.
/// One instance per track: it holds the track's key schedule.
/// </summary>
public sealed class SampleDecryptor(TrackProtection protection) : IDisposable
{
    private readonly Aes _aes = CreateAes(protection.Key);

    public void Decrypt(Span<byte> sample, SegmentSample layout)
    {
        var ranges = layout.Subsamples ?? [(0, sample.Length)];
        if (protection.IsCbcs)
        {
            var at = 0;
            foreach (var (clear, encrypted) in ranges)
            {
                at += clear;
                DecryptCbcsRange(sample.Slice(at, encrypted));
                at += encrypted;
            }

            return;
        }

        // cenc: the protected ranges of a sample form one keystream; the counter block is the IV (an 8-byte IV padded
        // with zeros) with the block number added to its low 64 bits.
        Span<byte> iv = stackalloc byte[16];
        iv.Clear();
        layout.Iv.AsSpan(0, Math.Min(16, layout.Iv.Length)).CopyTo(iv);
        var low = BinaryPrimitives.ReadUInt64BigEndian(iv[8..]);
        var total = ranges.Sum(r => r.Protected);
        var blocks = (total + 15) / 16;
        var counters = ArrayPool<byte>.Shared.Rent(blocks * 16);
        var keystream = ArrayPool<byte>.Shared.Rent(blocks * 16);
        try
        {
            for (var b = 0; b < blocks; b++)
            {
                var block = counters.AsSpan(b * 16, 16);
                iv[..8].CopyTo(block);
                BinaryPrimitives.WriteUInt64BigEndian(block[8..], low + (ulong)b);
            }

            _aes.EncryptEcb(counters.AsSpan(0, blocks * 16), keystream.AsSpan(0, blocks * 16), PaddingMode.None);
            int at = 0, k = 0;
            foreach (var (clear, encrypted) in ranges)
            {
                at += clear;
                var range = sample.Slice(at, encrypted);
                for (var i = 0; i < range.Length; i++)
                {
                    range[i] ^= keystream[k++];
                }

                at += encrypted;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(counters);
            ArrayPool<byte>.Shared.Return(keystream);
        }
    }

    /// <summary>The pattern's encrypted blocks are one CBC chain: gather them, decrypt once, put them back.</summary>
    private void DecryptCbcsRange(Span<byte> range)
    {
        var blocks = range.Length / 16;
        var (crypt, skip) = protection.Crypt == 0 && protection.Skip == 0 ? (blocks, 0) : (protection.Crypt, protection.Skip);
        if (blocks == 0 || crypt == 0)
        {
            return;
        }

        var chosen = new List<int>();
        for (var b = 0; b < blocks; b++)
        {
            if (b % (crypt + skip) < crypt)
            {
                chosen.Add(b);
            }
        }

        var gathered = ArrayPool<byte>.Shared.Rent(chosen.Count * 16);
        try
        {
            var buffer = gathered.AsSpan(0, chosen.Count * 16);
            for (var i = 0; i < chosen.Count; i++)
            {
                range.Slice(chosen[i] * 16, 16).CopyTo(buffer.Slice(i * 16));
            }

            _aes.DecryptCbc(buffer, protection.ConstantIv, buffer, PaddingMode.None);
            for (var i = 0; i < chosen.Count; i++)
            {
                buffer.Slice(i * 16, 16).CopyTo(range.Slice(chosen[i] * 16));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(gathered);
        }
    }

    private static Aes CreateAes(byte[] key)
    {
        var aes = Aes.Create();
        aes.Key = key;
        return aes;
    }

    public void Dispose() => _aes.Dispose();
}
