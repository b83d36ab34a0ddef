using System.Buffers.Binary;
using TranscodeFarm.Core.Packaging;

namespace TranscodeFarm.Core.Quality;

/// <summary>
/// How a packaged track's samples are protected, read back from its init segment (schm and tenc, ISO/IEC 23001-7) —
/// not from the packager's settings, so a packager that signals something else than it does is caught.
/// </summary>
public sealed record TrackProtection(string Scheme, int Crypt, int Skip, int IvSize, byte[] ConstantIv, byte[] Key)
{
    public bool IsCbcs => Scheme == "cbcs";

    /// <summary>The protection an init segment declares, or null for a clear track; a problem when it cannot be read.</summary>
    public static (TrackProtection? Protection, string? Problem) FromInit(ReadOnlySpan<byte> init, byte[]? key)
    {
        List<Mp4Box> boxes;
        try
        {
            boxes = Mp4BoxParser.Parse(init.ToArray());
        }
        catch (Mp4FormatException ex)
        {
            return (null, "the init segment is not a valid MP4: " + ex.Message);
        }

        var entry = boxes.FirstOrDefault(b => b.Type == FourCc.Moov)?.Find(FourCc.Trak, FourCc.Mdia, FourCc.Minf, FourCc.Stbl, FourCc.Stsd)?.Children?.FirstOrDefault();
        if (entry is null)
        {
            return (null, "the init segment has no sample description");
        }

        var sinf = entry.Child(FourCc.Sinf);
        if (sinf is null)
        {
            return key is null ? (null, null) : (null, "the track should be encrypted but its init segment declares no protection");
        }

        if (key is null)
        {
            return (null, "the init segment declares protection for a track that should be clear");
        }

        var schm = sinf.Child(FourCc.Schm)?.Body;
        var tenc = sinf.Find(FourCc.Schi, FourCc.Tenc)?.Body;
        if (schm is not { Length: >= 8 } || tenc is not { Length: >= 24 })
        {
            return (null, "the init segment's schm or tenc box is missing or short");
        }

        var ivSize = tenc[7];
        var constant = ivSize == 0 && tenc.Length > 25 && tenc.Length >= 25 + tenc[24] ? tenc.AsSpan(25, tenc[24]).ToArray() : [];
        var scheme = FourCc.ToString(BinaryPrimitives.ReadUInt32BigEndian(schm.AsSpan(4)));
        return (new TrackProtection(scheme, tenc[5] >> 4, tenc[5] & 0xF, ivSize, constant, key), null);
    }
}
