using System.Buffers.Binary;
using System.Text;

namespace TranscodeFarm.Core.Packaging;

/// <summary>Four-character box and codec codes as the big-endian integers they are on disk.</summary>
public static class FourCc
{
    public static uint Of(string code)
    {
        if (code.Length != 4)
        {
            throw new ArgumentException($"a four-character code has 4 characters: '{code}'", nameof(code));
        }

        Span<byte> b = stackalloc byte[4];
        for (var i = 0; i < 4; i++)
        {
            b[i] = (byte)code[i];
        }

        return BinaryPrimitives.ReadUInt32BigEndian(b);
    }

    public static string ToString(uint code)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, code);
        foreach (var c in b)
        {
            if (c is < 0x20 or > 0x7e)
            {
                return "0x" + code.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return Encoding.ASCII.GetString(b);
    }

    public static readonly uint Ftyp = Of("ftyp"), Styp = Of("styp"), Moov = Of("moov"), Mvhd = Of("mvhd"), Trak = Of("trak"),
        Tkhd = Of("tkhd"), Mdia = Of("mdia"), Mdhd = Of("mdhd"), Hdlr = Of("hdlr"), Minf = Of("minf"), Stbl = Of("stbl"),
        Stsd = Of("stsd"), Dinf = Of("dinf"), Edts = Of("edts"), Mvex = Of("mvex"), Trex = Of("trex"), Udta = Of("udta"),
        Moof = Of("moof"), Mfhd = Of("mfhd"), Traf = Of("traf"), Tfhd = Of("tfhd"), Tfdt = Of("tfdt"), Trun = Of("trun"),
        Mdat = Of("mdat"), Pssh = Of("pssh"), Senc = Of("senc"), Saiz = Of("saiz"), Saio = Of("saio"), Sinf = Of("sinf"),
        Frma = Of("frma"), Schm = Of("schm"), Schi = Of("schi"), Tenc = Of("tenc"), Sbgp = Of("sbgp"), Sgpd = Of("sgpd"),
        Seig = Of("seig"), Avc1 = Of("avc1"), Avc3 = Of("avc3"), Hvc1 = Of("hvc1"), Hev1 = Of("hev1"), Mp4a = Of("mp4a"),
        Encv = Of("encv"), Enca = Of("enca"), AvcC = Of("avcC"), HvcC = Of("hvcC"), Esds = Of("esds"), Vide = Of("vide"),
        Soun = Of("soun"), Cenc = Of("cenc"), Cbcs = Of("cbcs"), Mfra = Of("mfra"), Free = Of("free"), Sidx = Of("sidx"),
        Btrt = Of("btrt"), Pasp = Of("pasp"), Colr = Of("colr"), Meta = Of("meta"), Dref = Of("dref"),
        Png = Of("png "), Mp4v = Of("mp4v");
}
