using System.Buffers.Binary;
using System.Security.Cryptography;
using TranscodeFarm.Core.Packaging;

namespace TranscodeFarm.Core.Tests.Packaging;

/// <summary>
/// An independent decryptor for the tests, written from ISO/IEC 23001-7 and sharing no code with the packager:
/// it reads tenc from the init segment and senc from each media segment and undoes 'cenc' (AES-CTR) or 'cbcs'
/// (AES-CBC, pattern, constant IV reset per subsample).
/// </summary>
internal static class CencDecryptor
{
    public sealed record Tenc(int Version, int Crypt, int Skip, int IvSize, Guid Kid, byte[] ConstantIv, string Scheme);

    public static Tenc ReadTenc(byte[] init)
    {
        var moov = Mp4BoxParser.Parse(init).Single(b => b.Type == FourCc.Moov);
        var entry = moov.Find(FourCc.Trak, FourCc.Mdia, FourCc.Minf, FourCc.Stbl, FourCc.Stsd)!.Children![0];
        var sinf = entry.Child(FourCc.Sinf)!;
        var scheme = FourCc.ToString(BinaryPrimitives.ReadUInt32BigEndian(sinf.Child(FourCc.Schm)!.Body.AsSpan(4)));
        var t = sinf.Find(FourCc.Schi, FourCc.Tenc)!.Body;
        var ivSize = t[7];
        var constant = ivSize == 0 ? t.AsSpan(25, t[24]).ToArray() : [];
        return new Tenc(t[0], t[5] >> 4, t[5] & 0xF, ivSize, new Guid(t.AsSpan(8, 16), bigEndian: true), constant, scheme);
    }

    public static List<byte[]> DecryptSegment(byte[] segment, Tenc tenc, byte[] key)
    {
        var (sizes, mdat, traf, _) = PackagingFixture.ReadSegment(segment);
        var samples = PackagingFixture.Split(mdat, sizes);
        // No senc: nothing varies per sample (constant IV, whole samples), so tenc's defaults apply to every sample.
        var senc = traf.Child(FourCc.Senc)?.Body ?? [0, 0, 0, 0, .. BitConverter.GetBytes(System.Net.IPAddress.HostToNetworkOrder(samples.Count))];
        var flags = BinaryPrimitives.ReadUInt32BigEndian(senc) & 0xFFFFFF;
        var count = BinaryPrimitives.ReadUInt32BigEndian(senc.AsSpan(4));
        if (count != samples.Count)
        {
            throw new InvalidOperationException($"senc has {count} entries for {samples.Count} samples");
        }

        var pos = 8;
        using var aes = Aes.Create();
        aes.Key = key;
        foreach (var sample in samples)
        {
            var iv = senc.AsSpan(pos, tenc.IvSize).ToArray();
            pos += tenc.IvSize;
            var ranges = new List<(int Clear, int Protected)>();
            if ((flags & 2) != 0)
            {
                var n = BinaryPrimitives.ReadUInt16BigEndian(senc.AsSpan(pos));
                pos += 2;
                for (var i = 0; i < n; i++)
                {
                    ranges.Add((BinaryPrimitives.ReadUInt16BigEndian(senc.AsSpan(pos)), (int)BinaryPrimitives.ReadUInt32BigEndian(senc.AsSpan(pos + 2))));
                    pos += 6;
                }
            }
            else
            {
                ranges.Add((0, sample.Length));
            }

            if (tenc.Scheme == "cenc")
            {
                Ctr(aes, sample, ranges, iv);
            }
            else
            {
                var at = 0;
                foreach (var (clear, prot) in ranges)
                {
                    at += clear;
                    Cbcs(aes, sample.AsSpan(at, prot), tenc.ConstantIv, tenc.Crypt, tenc.Skip);
                    at += prot;
                }
            }
        }

        return samples;
    }

    private static void Ctr(Aes aes, byte[] sample, List<(int Clear, int Protected)> ranges, byte[] iv8)
    {
        var counter = new byte[16];
        iv8.CopyTo(counter, 0);
        var stream = new byte[16];
        var used = 16;
        ulong block = 0;
        var at = 0;
        foreach (var (clear, prot) in ranges)
        {
            at += clear;
            for (var i = 0; i < prot; i++)
            {
                if (used == 16)
                {
                    BinaryPrimitives.WriteUInt64BigEndian(counter.AsSpan(8), block++);
                    aes.EncryptEcb(counter, stream, PaddingMode.None);
                    used = 0;
                }

                sample[at + i] ^= stream[used++];
            }

            at += prot;
        }
    }

    private static void Cbcs(Aes aes, Span<byte> range, byte[] iv, int crypt, int skip)
    {
        var blocks = range.Length / 16;
        if (crypt == 0 && skip == 0)
        {
            crypt = blocks; // 0:0 means every whole block
        }

        var chain = iv.ToArray();
        var plain = new byte[16];
        for (var b = 0; b < blocks; b++)
        {
            if (b % (crypt + skip) >= crypt)
            {
                continue;
            }

            var block = range.Slice(b * 16, 16);
            var cipher = block.ToArray();
            aes.DecryptEcb(cipher, plain, PaddingMode.None);
            for (var i = 0; i < 16; i++)
            {
                block[i] = (byte)(plain[i] ^ chain[i]);
            }

            chain = cipher;
        }
    }
}
