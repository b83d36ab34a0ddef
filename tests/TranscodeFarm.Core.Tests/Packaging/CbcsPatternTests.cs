using System.Security.Cryptography;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Encryption;

namespace TranscodeFarm.Core.Tests.Packaging;

/// <summary>Audio-style full-sample encryption over many sizes, checked block by block against AES-CBC's definition.</summary>
public class CbcsPatternTests
{
    [Theory]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(161)]
    [InlineData(4000)]
    public void Cbcs_full_sample_matches_the_cbc_definition(int size)
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var iv = RandomNumberGenerator.GetBytes(16);
        var track = new TrackInfo
        {
            TrackId = 1, Kind = TrackKind.Audio, Timescale = 48000, Trak = new Mp4Box(FourCc.Trak, []),
            Defaults = new TrackDefaults(1, 1024, 0, 0), SampleEntry = FourCc.Mp4a, Codec = "mp4a.40.2",
        };
        var sample = RandomNumberGenerator.GetBytes(size);
        var expected = sample.ToArray();
        using (var aes = Aes.Create())
        {
            aes.Key = key;
            var chain = iv.ToArray();
            for (var b = 0; b + 16 <= size; b += 16)
            {
                var block = expected.AsSpan(b, 16);
                for (var i = 0; i < 16; i++)
                {
                    block[i] ^= chain[i];
                }

                aes.EncryptEcb(block, block, PaddingMode.None);
                chain = block.ToArray();
            }
        }

        using var encryptor = new SampleEncryptor(track, new TrackEncryption(EncryptionScheme.Cbcs, Guid.NewGuid(), key, iv, []));
        encryptor.Encrypt(sample);
        Assert.Equal(expected, sample);
    }
}
