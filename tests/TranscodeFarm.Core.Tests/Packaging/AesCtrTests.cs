using System.Buffers.Binary;
using System.Security.Cryptography;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Encryption;

namespace TranscodeFarm.Core.Tests.Packaging;

/// <summary>The chunked, in-place CTR keystream against AES-CTR's definition, block by block.</summary>
public class AesCtrTests
{
    private static readonly byte[] Key = Convert.FromHexString("2b7e151628aed2a6abf7158809cf4f3c");

    [Theory]
    [InlineData(new[] { 10_000 })]
    [InlineData(new[] { 3, 4093, 5000, 904 })] // ranges that cross the 4 KiB keystream chunks mid-block
    [InlineData(new[] { 0, 15, 1, 0, 17 })]
    public void Keystream_runs_on_across_ranges_as_one_ctr_stream(int[] ranges)
    {
        var total = ranges.Sum();
        var plain = RandomNumberGenerator.GetBytes(total);
        var data = plain.ToArray();
        const ulong iv = 0x0102030405060708;

        using var ctr = new AesCtr(Key);
        ctr.Start(iv, total);
        var pos = 0;
        foreach (var length in ranges)
        {
            ctr.Apply(data.AsSpan(pos, length));
            pos += length;
        }

        Assert.Equal(Reference(plain, iv), data);
    }

    [Fact]
    public void Audio_cenc_encrypts_whole_samples_in_place_with_one_iv_each()
    {
        var track = new TrackInfo
        {
            TrackId = 1, Kind = TrackKind.Audio, Timescale = 48000, Trak = new Mp4Box(FourCc.Trak, []),
            Defaults = new TrackDefaults(1, 1024, 0, 0), SampleEntry = FourCc.Mp4a, Codec = "mp4a.40.2",
        };
        using var encryptor = new SampleEncryptor(track, new TrackEncryption(EncryptionScheme.Cenc, Guid.NewGuid(), Key, [0, 0, 0, 0, 0, 0, 0, 9], []));
        var subsamples = new List<Subsample>();
        foreach (var (size, expectedIv) in new[] { (335, 9UL), (5000, 10UL), (7, 11UL) })
        {
            var plain = RandomNumberGenerator.GetBytes(size);
            var sample = plain.ToArray();

            var iv = encryptor.Encrypt(sample, subsamples);

            Assert.Equal(expectedIv, iv);
            Assert.Equal(Reference(plain, iv), sample);
            Assert.Empty(subsamples); // audio: no subsample map, the whole sample is protected
        }
    }

    private static byte[] Reference(byte[] plain, ulong iv)
    {
        using var aes = Aes.Create();
        aes.Key = Key;
        var result = plain.ToArray();
        var counter = new byte[16];
        var keystream = new byte[16];
        for (var block = 0; block * 16 < result.Length; block++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(counter, iv);
            BinaryPrimitives.WriteUInt64BigEndian(counter.AsSpan(8), (ulong)block);
            aes.EncryptEcb(counter, keystream, PaddingMode.None);
            for (var i = 0; i < 16 && (block * 16) + i < result.Length; i++)
            {
                result[(block * 16) + i] ^= keystream[i];
            }
        }

        return result;
    }
}
