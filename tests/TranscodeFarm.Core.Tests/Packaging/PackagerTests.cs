using System.Buffers.Binary;
using TranscodeFarm.Core.Drm;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Encryption;

namespace TranscodeFarm.Core.Tests.Packaging;

public class PackagerTests
{
    private static readonly byte[] Key = Convert.FromHexString("00112233445566778899aabbccddeeff");
    private static readonly Guid Kid = Guid.Parse("10000000-2000-3000-4000-500000000006");

    [Fact]
    public void Parse_then_write_gives_the_same_bytes()
    {
        var input = PackagingFixture.Input;
        var boxes = Mp4BoxParser.Parse(input);
        Assert.Contains(boxes, b => b.Type == FourCc.Moov);
        Assert.True(boxes.Count(b => b.Type == FourCc.Moof) >= 4);
        Assert.Equal(input, boxes.SelectMany(b => b.ToArray()).ToArray());
        // The moov really was parsed into a tree (down to the sample entry's avcC), not kept as one blob.
        var moov = boxes.Single(b => b.Type == FourCc.Moov);
        Assert.NotNull(moov.Find(FourCc.Trak, FourCc.Mdia, FourCc.Minf, FourCc.Stbl, FourCc.Stsd)!.Children![0].Child(FourCc.AvcC));
    }

    [Fact]
    public async Task Clear_packaging_keeps_every_sample_and_cuts_on_keyframes()
    {
        var input = PackagingFixture.Input;
        var result = await PackagingFixture.PackageAsync(input, new PackagerOptions(1));
        Assert.Equal(["init-0.mp4", "init-1.mp4"], result.Files.Keys.Where(k => k.StartsWith("init", StringComparison.Ordinal)).Order());
        var video = result.Tracks.Single(t => t.Info.Kind == TrackKind.Video);
        Assert.Equal(2, video.Segments.Count); // 2 s at 1 s segments
        Assert.Equal("avc1.64000c", video.Info.Codec); // High profile, level 1.2 as x264 chose for 128x96
        Assert.Equal("mp4a.40.2", result.Tracks.Single(t => t.Info.Kind == TrackKind.Audio).Info.Codec);

        for (var track = 0; track < 2; track++)
        {
            var packaged = result.Segments(track.ToString()).SelectMany(s =>
            {
                var (sizes, mdat, traf, _) = PackagingFixture.ReadSegment(s);
                Assert.Null(traf.Child(FourCc.Senc));
                return PackagingFixture.Split(mdat, sizes);
            }).ToList();
            Assert.Equal(PackagingFixture.InputSamples(input, (uint)track + 1), packaged);
        }

        foreach (var segment in result.Segments("0"))
        {
            // The first sample of every video segment is a sync sample (sample_is_non_sync_sample clear).
            var trun = PackagingFixture.ReadSegment(segment).Traf.Child(FourCc.Trun)!.Body;
            Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(trun.AsSpan(12 + 8)) & 0x10000);
        }
    }

    [Fact]
    public async Task Init_segment_holds_one_track_renumbered_to_1()
    {
        var result = await PackagingFixture.PackageAsync(PackagingFixture.Input, new PackagerOptions(1));
        var moov = Mp4BoxParser.Parse(result.Files["init-1.mp4"]).Single(b => b.Type == FourCc.Moov);
        var trak = Assert.Single(moov.ChildrenOf(FourCc.Trak));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32BigEndian(trak.Child(FourCc.Tkhd)!.Body.AsSpan(12)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32BigEndian(moov.Find(FourCc.Mvex, FourCc.Trex)!.Body.AsSpan(4)));
        Assert.Equal(FourCc.Mp4a, trak.Find(FourCc.Mdia, FourCc.Minf, FourCc.Stbl, FourCc.Stsd)!.Children![0].Type);
    }

    [Theory]
    [InlineData(EncryptionScheme.Cenc)]
    [InlineData(EncryptionScheme.Cbcs)]
    public async Task Encrypted_segments_decrypt_to_the_clear_samples(EncryptionScheme scheme)
    {
        var input = PackagingFixture.Input;
        var pssh = PsshBox.ForClearKey([Kid]);
        var result = await PackagingFixture.PackageAsync(input, new PackagerOptions(1)
        {
            EncryptionFor = (_, _) => new TrackEncryption(scheme, Kid, Key, scheme == EncryptionScheme.Cenc ? new byte[8] { 1, 2, 3, 4, 5, 6, 7, 8 } : new byte[16], [pssh]),
        });

        for (var track = 0; track < 2; track++)
        {
            var init = result.Files[$"init-{track}.mp4"];
            var tenc = CencDecryptor.ReadTenc(init);
            Assert.Equal(scheme == EncryptionScheme.Cenc ? "cenc" : "cbcs", tenc.Scheme);
            Assert.Equal(Kid, tenc.Kid);
            Assert.Equal(scheme == EncryptionScheme.Cenc ? (0, 8) : (1, 0), (tenc.Version, tenc.IvSize));
            Assert.Equal(scheme == EncryptionScheme.Cbcs && track == 0 ? (1, 9) : (0, 0), (tenc.Crypt, tenc.Skip));
            var moov = Mp4BoxParser.Parse(init).Single(b => b.Type == FourCc.Moov);
            Assert.Equal(pssh, Assert.Single(moov.ChildrenOf(FourCc.Pssh)).ToArray());
            var entry = moov.Find(FourCc.Trak, FourCc.Mdia, FourCc.Minf, FourCc.Stbl, FourCc.Stsd)!.Children![0];
            Assert.Equal(track == 0 ? FourCc.Encv : FourCc.Enca, entry.Type);
            Assert.Equal(track == 0 ? FourCc.Avc1 : FourCc.Mp4a, BinaryPrimitives.ReadUInt32BigEndian(entry.Find(FourCc.Sinf, FourCc.Frma)!.Body));

            var clear = PackagingFixture.InputSamples(input, (uint)track + 1);
            var decrypted = new List<byte[]>();
            var encryptedDiffers = false;
            foreach (var segment in result.Segments(track.ToString()))
            {
                var (sizes, mdat, _, _) = PackagingFixture.ReadSegment(segment);
                var before = PackagingFixture.Split(mdat, sizes);
                var after = CencDecryptor.DecryptSegment(segment, tenc, Key);
                encryptedDiffers |= !before.Zip(after).All(p => p.First.AsSpan().SequenceEqual(p.Second));
                decrypted.AddRange(after);
            }

            Assert.True(encryptedDiffers, "the segments were not encrypted");
            Assert.Equal(clear, decrypted);
        }
    }

    [Fact]
    public async Task Senc_saiz_and_saio_describe_every_sample()
    {
        var result = await PackagingFixture.PackageAsync(PackagingFixture.Input, new PackagerOptions(1)
        {
            EncryptionFor = (_, _) => new TrackEncryption(EncryptionScheme.Cenc, Kid, Key, new byte[8], []),
        });
        ulong? lastIv = null;
        foreach (var segment in result.Segments("0"))
        {
            var (sizes, _, traf, moofStart) = PackagingFixture.ReadSegment(segment);
            var senc = traf.Child(FourCc.Senc)!.Body;
            Assert.Equal((uint)sizes.Count, BinaryPrimitives.ReadUInt32BigEndian(senc.AsSpan(4)));
            var pos = 8;
            foreach (var size in sizes)
            {
                var iv = BinaryPrimitives.ReadUInt64BigEndian(senc.AsSpan(pos));
                Assert.True(lastIv is null || iv == lastIv + 1, "per-sample IVs must never repeat under one key");
                lastIv = iv;
                var n = BinaryPrimitives.ReadUInt16BigEndian(senc.AsSpan(pos + 8));
                long total = 0;
                for (var i = 0; i < n; i++)
                {
                    var clear = BinaryPrimitives.ReadUInt16BigEndian(senc.AsSpan(pos + 10 + (i * 6)));
                    var prot = BinaryPrimitives.ReadUInt32BigEndian(senc.AsSpan(pos + 12 + (i * 6)));
                    Assert.True(clear >= 5, "the NAL length and header (and slice header) stay clear");
                    Assert.Equal(0u, prot % 16); // 'cenc' protects whole blocks (CMAF)
                    total += clear + prot;
                }

                Assert.Equal(size, total);
                pos += 10 + (n * 6);
            }

            // saio points at senc's first entry, counted from the moof.
            var saio = traf.Child(FourCc.Saio)!.Body;
            var offset = BinaryPrimitives.ReadUInt32BigEndian(saio.AsSpan(8));
            var sencAt = segment.AsSpan().IndexOf("senc"u8) - 4;
            Assert.Equal(sencAt + 16, moofStart + (int)offset);
            var saiz = traf.Child(FourCc.Saiz)!.Body;
            Assert.Equal((uint)sizes.Count, BinaryPrimitives.ReadUInt32BigEndian(saiz.AsSpan(5)));
        }
    }

    [Fact]
    public async Task Clear_lead_segments_are_marked_unprotected()
    {
        var input = PackagingFixture.Input;
        var result = await PackagingFixture.PackageAsync(input, new PackagerOptions(1)
        {
            EncryptionFor = (_, _) => new TrackEncryption(EncryptionScheme.Cbcs, Kid, Key, new byte[16], []) { ClearLeadSeconds = 1 },
        });
        var segments = result.Segments("0").ToList();
        var first = PackagingFixture.ReadSegment(segments[0]);
        Assert.Null(first.Traf.Child(FourCc.Senc));
        Assert.NotNull(first.Traf.Child(FourCc.Sgpd));
        Assert.Equal(PackagingFixture.InputSamples(input, 1).Take(first.Sizes.Count), PackagingFixture.Split(first.Mdat, first.Sizes));
        Assert.NotNull(PackagingFixture.ReadSegment(segments[1]).Traf.Child(FourCc.Senc));
    }

    [Fact]
    public void Whole_segment_aes128_round_trips_with_the_sequence_number_iv()
    {
        var data = PackagingFixture.Input.AsSpan(0, 1000).ToArray();
        var encrypted = SegmentAes128.Encrypt(data, Key, 7);
        Assert.Equal(1008, encrypted.Length);
        Assert.Equal(data, SegmentAes128.Decrypt(encrypted, Key, 7));
        // Another segment's IV garbles the first block: the IV really is the media sequence number.
        Assert.NotEqual(data.AsSpan(0, 16).ToArray(), SegmentAes128.Decrypt(encrypted, Key, 8).AsSpan(0, 16).ToArray());
    }
}
