using TranscodeFarm.Core.Packaging.Encryption;

namespace TranscodeFarm.Core.Packaging;

/// <summary>
/// Writes one CMAF media segment: styp, a moof with one traf (track 1, default-base-is-moof, tfdt, a version-1
/// trun with every sample's duration, size, flags and composition offset) and an mdat. Encrypted segments also
/// carry senc, saiz and saio; clear-lead segments of an encrypted track carry a 'seig' sample group that marks
/// their samples unprotected.
/// </summary>
public static class CmafSegmentWriter
{
    private const uint TrunFlags = 0x1 | 0x100 | 0x200 | 0x400 | 0x800;

    public static byte[] Write(uint sequenceNumber, IReadOnlyList<Mp4Sample> samples, IReadOnlyList<SampleAuxInfo>? encryption, bool clearLead) =>
        Write(new BoxBuilder(), sequenceNumber, samples, encryption, clearLead).ToArray();

    /// <summary>Writes into <paramref name="b"/> (reset first) and returns the written bytes, valid until its next use.</summary>
    public static ReadOnlyMemory<byte> Write(BoxBuilder b, uint sequenceNumber, IReadOnlyList<Mp4Sample> samples, IReadOnlyList<SampleAuxInfo>? encryption, bool clearLead)
    {
        b.Reset();
        var dataSize = samples.Sum(s => (long)s.Data.Length);
        b.Begin(FourCc.Styp).U32(FourCc.Of("msdh")).U32(0).U32(FourCc.Of("msdh")).U32(FourCc.Of("msix")).End();

        var moofStart = b.Length;
        b.Begin(FourCc.Moof);
        b.BeginFull(FourCc.Mfhd, 0, 0).U32(sequenceNumber).End();
        b.Begin(FourCc.Traf);
        b.BeginFull(FourCc.Tfhd, 0, 0x020000).U32(1).End();
        b.BeginFull(FourCc.Tfdt, 1, 0).U64((ulong)samples[0].DecodeTime).End();
        b.BeginFull(FourCc.Trun, 1, TrunFlags).U32((uint)samples.Count);
        var dataOffsetField = b.Length;
        b.U32(0);
        foreach (var s in samples)
        {
            b.U32(s.Duration).U32((uint)s.Data.Length).U32(s.Flags).I32(s.CompositionOffset);
        }

        b.End();
        (int SaioField, int SencEntries)? aux = null;
        if (clearLead)
        {
            WriteClearSampleGroup(b, samples.Count);
        }
        else if (encryption is not null && encryption.Any(i => i.Size > 0))
        {
            // With a constant IV and no subsamples (cbcs audio) there is nothing per sample to record: the
            // decryptor uses tenc's defaults, and an empty saiz would be misread as "sizes follow".
            aux = WriteEncryptionInfo(b, encryption);
        }

        b.End().End(); // traf, moof
        var moofSize = b.Length - moofStart;
        b.PatchU32(dataOffsetField, (uint)(moofSize + 8));
        if (aux is { } a)
        {
            b.PatchU32(a.SaioField, (uint)(a.SencEntries - moofStart)); // saio counts from the moof (default-base-is-moof)
        }

        b.U32((uint)(dataSize + 8)).U32(FourCc.Mdat);
        foreach (var s in samples)
        {
            b.Bytes(s.Data);
        }

        return b.WrittenMemory;
    }

    /// <summary>Writes saiz, saio and senc; returns saio's offset field and where senc's first entry starts.</summary>
    private static (int SaioField, int SencEntries) WriteEncryptionInfo(BoxBuilder b, IReadOnlyList<SampleAuxInfo> info)
    {
        if (info.FirstOrDefault(i => i.Size > byte.MaxValue) is { } big)
        {
            throw new Mp4FormatException($"a sample has {big.Subsamples?.Length} subsamples: more than CENC's saiz can describe (at most 41)");
        }

        var first = info[0].Size;
        var uniform = info.All(i => i.Size == first) && first <= byte.MaxValue;
        b.BeginFull(FourCc.Saiz, 0, 0).U8(uniform ? (byte)first : (byte)0).U32((uint)info.Count);
        if (!uniform)
        {
            foreach (var i in info)
            {
                b.U8((byte)Math.Min(i.Size, byte.MaxValue));
            }
        }

        b.End();
        b.BeginFull(FourCc.Saio, 0, 0).U32(1);
        var saioOffset = b.Length;
        b.U32(0).End();

        var subsamples = info.Any(i => i.Subsamples is not null);
        b.BeginFull(FourCc.Senc, 0, subsamples ? 0x2u : 0u).U32((uint)info.Count);
        var entries = b.Length;
        foreach (var i in info)
        {
            b.Bytes(i.Iv);
            if (subsamples)
            {
                var list = i.Subsamples ?? [];
                b.U16((ushort)list.Length);
                foreach (var s in list)
                {
                    b.U16(s.Clear).U32(s.Protected);
                }
            }
        }

        b.End();
        return (saioOffset, entries);
    }

    private static void WriteClearSampleGroup(BoxBuilder b, int sampleCount)
    {
        b.BeginFull(FourCc.Sbgp, 0, 0).U32(FourCc.Seig).U32(1).U32((uint)sampleCount).U32(0x1_0001).End();
        b.BeginFull(FourCc.Sgpd, 1, 0).U32(FourCc.Seig).U32(20).U32(1)
            .U8(0).U8(0).U8(0).U8(0).Bytes(new byte[16]).End();
    }
}
