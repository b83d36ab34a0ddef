using System.Buffers.Binary;
using System.Runtime.InteropServices;
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

    /// <summary>
    /// Writes the segment into a pooled buffer of exactly its size, which the caller hands on (the sink owns it, and may
    /// release it): the boxes before the mdat go through <paramref name="b"/> (reset first, reused per track), then the
    /// mdat header and the samples' bytes are copied in once. <paramref name="encryptor"/> is the track's, null for a clear track; a clear-lead
    /// segment is written clear either way.
    /// </summary>
    internal static PooledSegmentMemory Write(BoxBuilder b, uint sequenceNumber, PendingSegment segment, SampleEncryptor? encryptor)
    {
        b.Reset();
        var samples = segment.Samples;
        var dataLength = segment.DataLength;
        b.Begin(FourCc.Styp).U32(FourCc.Of("msdh")).U32(0).U32(FourCc.Of("msdh")).U32(FourCc.Of("msix")).End();

        var moofStart = b.Length;
        b.Begin(FourCc.Moof);
        b.BeginFull(FourCc.Mfhd, 0, 0).U32(sequenceNumber).End();
        b.Begin(FourCc.Traf);
        b.BeginFull(FourCc.Tfhd, 0, 0x020000).U32(1).End();
        b.BeginFull(FourCc.Tfdt, 1, 0).U64((ulong)samples[0].DecodeTime).End();
        b.BeginFull(FourCc.Trun, 1, TrunFlags).U32((uint)samples.Length);
        var dataOffsetField = b.Length;
        b.U32(0);
        foreach (var s in samples)
        {
            b.U32(s.Duration).U32((uint)s.Size).U32(s.Flags).I32(s.CompositionOffset);
        }

        b.End();
        (int SaioField, int SencEntries)? aux = null;
        if (segment.ClearLead)
        {
            WriteClearSampleGroup(b, samples.Length);
        }
        else if (encryptor is not null && (encryptor.PerSampleIvSize > 0 || encryptor.UsesSubsamples))
        {
            // With a constant IV and no subsamples (cbcs audio) there is nothing per sample to record: the
            // decryptor uses tenc's defaults, and an empty saiz would be misread as "sizes follow".
            aux = WriteEncryptionInfo(b, segment, encryptor.PerSampleIvSize, encryptor.UsesSubsamples);
        }

        b.End().End(); // traf, moof
        var moofSize = b.Length - moofStart;
        b.PatchU32(dataOffsetField, (uint)(moofSize + 8));
        if (aux is { } a)
        {
            b.PatchU32(a.SaioField, (uint)(a.SencEntries - moofStart)); // saio counts from the moof (default-base-is-moof)
        }

        var output = new PooledSegmentMemory(b.Length + 8 + dataLength);
        var bytes = output.GetSpan();
        b.Written.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[b.Length..], (uint)(dataLength + 8));
        BinaryPrimitives.WriteUInt32BigEndian(bytes[(b.Length + 4)..], FourCc.Mdat);
        segment.CopyDataTo(bytes[(b.Length + 8)..]);
        return output;
    }

    private static int AuxSize(in SegmentSample s, int ivSize, bool subsamples) => ivSize + (subsamples ? 2 + (6 * s.SubsampleCount) : 0);

    /// <summary>Writes saiz, saio and senc; returns saio's offset field and where senc's first entry starts.</summary>
    private static (int SaioField, int SencEntries) WriteEncryptionInfo(BoxBuilder b, PendingSegment segment, int ivSize, bool subsamples)
    {
        var samples = segment.Samples;
        var first = AuxSize(samples[0], ivSize, subsamples);
        var uniform = true;
        foreach (var s in samples)
        {
            var size = AuxSize(s, ivSize, subsamples);
            if (size > byte.MaxValue)
            {
                throw new Mp4FormatException($"a sample has {s.SubsampleCount} subsamples: more than CENC's saiz can describe (at most 41)");
            }

            uniform &= size == first;
        }

        b.BeginFull(FourCc.Saiz, 0, 0).U8(uniform ? (byte)first : (byte)0).U32((uint)samples.Length);
        if (!uniform)
        {
            foreach (var s in samples)
            {
                b.U8((byte)AuxSize(s, ivSize, subsamples));
            }
        }

        b.End();
        b.BeginFull(FourCc.Saio, 0, 0).U32(1);
        var saioOffset = b.Length;
        b.U32(0).End();

        b.BeginFull(FourCc.Senc, 0, subsamples ? 0x2u : 0u).U32((uint)samples.Length);
        var entries = b.Length;
        var map = CollectionsMarshal.AsSpan(segment.Subsamples);
        foreach (var s in samples)
        {
            if (ivSize == 8)
            {
                b.U64(s.Iv);
            }

            if (subsamples)
            {
                b.U16((ushort)s.SubsampleCount);
                foreach (var sub in map.Slice(s.FirstSubsample, s.SubsampleCount))
                {
                    b.U16(sub.Clear).U32(sub.Protected);
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
