using System.Buffers.Binary;
using TranscodeFarm.Core.Packaging.Encryption;

namespace TranscodeFarm.Core.Packaging;

/// <summary>
/// Writes a track's CMAF header (init segment): ftyp, and a moov holding only that track (renumbered 1) built from
/// ffmpeg's own boxes, with, when encrypted, the sample entry wrapped as encv/enca + sinf/frma/schm/schi/tenc and
/// one pssh box per DRM system.
/// </summary>
public static class CmafInitWriter
{
    public static byte[] Write(Mp4Box inputMoov, TrackInfo track, TrackEncryption? encryption, (byte Crypt, byte Skip) pattern)
    {
        var b = new BoxBuilder();
        b.Begin(FourCc.Ftyp).U32(FourCc.Of("iso6")).U32(0).U32(FourCc.Of("iso6")).U32(FourCc.Of("cmfc")).U32(FourCc.Of("mp41")).End();

        var mvhd = (inputMoov.Child(FourCc.Mvhd) ?? throw new Mp4FormatException("the moov has no mvhd")).Clone();
        PatchU32(mvhd.Body, MoovReader.Version(mvhd) == 1 ? 108 : 96, 2); // next_track_ID

        var trak = track.Trak.Clone();
        var tkhd = trak.Child(FourCc.Tkhd)!;
        PatchU32(tkhd.Body, MoovReader.Version(tkhd) == 1 ? 20 : 12, 1);
        if (encryption is not null)
        {
            ProtectSampleEntry(trak, track.Kind == TrackKind.Audio ? FourCc.Enca : FourCc.Encv, encryption, pattern);
        }

        var moov = new List<Mp4Box> { mvhd, trak, Mvex(track) };
        foreach (var pssh in encryption?.PsshBoxes ?? [])
        {
            moov.Add(Mp4BoxParser.ParseSingle(pssh));
        }

        b.Box(new Mp4Box(FourCc.Moov, [], moov));
        return b.ToArray();
    }

    private static Mp4Box Mvex(TrackInfo track)
    {
        var d = track.Defaults;
        var trex = new BoxBuilder(64).BeginFull(FourCc.Trex, 0, 0).U32(1).U32(d.SampleDescriptionIndex).U32(d.Duration).U32(d.Size).U32(d.Flags).End();
        return new Mp4Box(FourCc.Mvex, [], [Mp4BoxParser.ParseSingle(trex.Written)]);
    }

    private static void ProtectSampleEntry(Mp4Box trak, uint protectedType, TrackEncryption encryption, (byte Crypt, byte Skip) pattern)
    {
        var stsd = trak.Find(FourCc.Mdia, FourCc.Minf, FourCc.Stbl, FourCc.Stsd)!;
        var entry = stsd.Children![0];
        var sinf = new BoxBuilder(128).Begin(FourCc.Sinf)
            .Begin(FourCc.Frma).U32(entry.Type).End()
            .BeginFull(FourCc.Schm, 0, 0).U32(encryption.Scheme == EncryptionScheme.Cbcs ? FourCc.Cbcs : FourCc.Cenc).U32(0x0001_0000).End()
            .Begin(FourCc.Schi);
        WriteTenc(sinf, encryption, pattern);
        sinf.End().End();

        var children = new List<Mp4Box>(entry.Children ?? []) { Mp4BoxParser.ParseSingle(sinf.Written) };
        stsd.Children[0] = new Mp4Box(protectedType, entry.Body, children);
    }

    private static void WriteTenc(BoxBuilder b, TrackEncryption encryption, (byte Crypt, byte Skip) pattern)
    {
        var cbcs = encryption.Scheme == EncryptionScheme.Cbcs;
        b.BeginFull(FourCc.Tenc, cbcs ? (byte)1 : (byte)0, 0)
            .U8(0)
            .U8(cbcs ? (byte)((pattern.Crypt << 4) | pattern.Skip) : (byte)0)
            .U8(1) // default_isProtected
            .U8(cbcs ? (byte)0 : (byte)8) // default_Per_Sample_IV_Size
            .Bytes(encryption.KeyId.ToByteArray(bigEndian: true));
        if (cbcs)
        {
            b.U8(16).Bytes(encryption.Iv);
        }

        b.End();
    }

    private static void PatchU32(byte[] body, int offset, uint value)
    {
        if (offset + 4 > body.Length)
        {
            throw new Mp4FormatException("a header box is shorter than its fields");
        }

        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(offset), value);
    }
}
