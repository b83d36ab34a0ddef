using System.Buffers.Binary;
using TranscodeFarm.Core.Packaging;

namespace TranscodeFarm.Core.Quality;

/// <summary>One sample inside a segment's bytes, with what its senc entry says about its protection.</summary>
public readonly record struct SegmentSample(int Offset, int Length, byte[] Iv, (int Clear, int Protected)[]? Subsamples);

/// <summary>
/// Reads a CMAF media segment back into its samples (moof → traf → trun, senc, the 'seig' group, mdat), written from
/// ISO/IEC 14496-12 and 23001-7 independently of the packager's writer. Pure: offsets into the given bytes.
/// </summary>
public static class SegmentSamples
{
    private const uint DataOffsetPresent = 0x1, FirstSampleFlagsPresent = 0x4, DurationPresent = 0x100, SizePresent = 0x200,
        FlagsPresent = 0x400, CompositionPresent = 0x800, DefaultSizePresent = 0x10, BaseDataOffsetPresent = 0x1;

    /// <summary>The samples of a one-track segment, and whether they are protected; a problem when it is malformed.</summary>
    public static (List<SegmentSample> Samples, bool Protected, string? Problem) Read(byte[] segment, TrackProtection? protection)
    {
        List<Mp4Box> boxes;
        try
        {
            boxes = Mp4BoxParser.Parse(segment);
        }
        catch (Mp4FormatException ex)
        {
            return ([], false, "not a valid MP4 segment: " + ex.Message);
        }

        long moofStart = 0;
        Mp4Box? moof = null;
        foreach (var box in boxes)
        {
            if (box.Type == FourCc.Moof)
            {
                moof = box;
                break;
            }

            moofStart += box.Size;
        }

        var traf = moof?.Child(FourCc.Traf);
        var trun = traf?.Child(FourCc.Trun)?.Body;
        var tfhd = traf?.Child(FourCc.Tfhd)?.Body;
        if (traf is null || trun is not { Length: >= 8 } || tfhd is not { Length: >= 8 })
        {
            return ([], false, "the segment has no moof/traf/trun");
        }

        var sizes = ReadSizes(trun, tfhd, out var dataOffset);
        if (sizes is null)
        {
            return ([], false, "the segment's trun is malformed");
        }

        var protectedSamples = protection is not null && !IsClearLead(traf);
        var aux = protectedSamples ? ReadSenc(traf.Child(FourCc.Senc)?.Body, sizes.Count, protection!) : null;
        if (protectedSamples && aux is null)
        {
            return ([], false, "the segment's senc box is missing or does not describe every sample");
        }

        var samples = new List<SegmentSample>(sizes.Count);
        var at = moofStart + dataOffset;
        for (var i = 0; i < sizes.Count; i++)
        {
            if (at < 0 || at + sizes[i] > segment.Length)
            {
                return ([], false, $"sample {i + 1} lies outside the segment");
            }

            var (iv, subsamples) = aux is null ? ([], null) : aux[i];
            if (subsamples is not null && subsamples.Sum(s => (long)s.Clear + s.Protected) != sizes[i])
            {
                return ([], false, $"sample {i + 1}'s subsample map does not cover it");
            }

            samples.Add(new SegmentSample((int)at, sizes[i], iv, subsamples));
            at += sizes[i];
        }

        return (samples, protectedSamples, null);
    }

    private static List<int>? ReadSizes(byte[] trun, byte[] tfhd, out long dataOffset)
    {
        dataOffset = 0;
        var flags = BinaryPrimitives.ReadUInt32BigEndian(trun) & 0xFFFFFF;
        var count = BinaryPrimitives.ReadUInt32BigEndian(trun.AsSpan(4));
        var pos = 8;
        if ((flags & DataOffsetPresent) != 0)
        {
            dataOffset = BinaryPrimitives.ReadInt32BigEndian(trun.AsSpan(pos));
            pos += 4;
        }

        if ((flags & FirstSampleFlagsPresent) != 0)
        {
            pos += 4;
        }

        var defaultSize = DefaultSize(tfhd);
        var entry = 4 * (int)(((flags & DurationPresent) != 0 ? 1u : 0) + ((flags & SizePresent) != 0 ? 1u : 0) + ((flags & FlagsPresent) != 0 ? 1u : 0) + ((flags & CompositionPresent) != 0 ? 1u : 0));
        if (count > 1_000_000 || pos + (entry * (long)count) > trun.Length || ((flags & SizePresent) == 0 && defaultSize is null))
        {
            return null;
        }

        var sizes = new List<int>((int)count);
        for (var i = 0; i < count; i++, pos += entry)
        {
            var sizeAt = pos + ((flags & DurationPresent) != 0 ? 4 : 0);
            sizes.Add((flags & SizePresent) != 0 ? (int)BinaryPrimitives.ReadUInt32BigEndian(trun.AsSpan(sizeAt)) : defaultSize!.Value);
        }

        return sizes;
    }

    private static int? DefaultSize(byte[] tfhd)
    {
        var flags = BinaryPrimitives.ReadUInt32BigEndian(tfhd) & 0xFFFFFF;
        var pos = 8 + ((flags & BaseDataOffsetPresent) != 0 ? 8 : 0) + ((flags & 0x2) != 0 ? 4 : 0) + ((flags & 0x8) != 0 ? 4 : 0);
        return (flags & DefaultSizePresent) != 0 && pos + 4 <= tfhd.Length ? (int)BinaryPrimitives.ReadUInt32BigEndian(tfhd.AsSpan(pos)) : null;
    }

    /// <summary>A 'seig' sample group entry with isProtected = 0: the clear lead of an encrypted track.</summary>
    private static bool IsClearLead(Mp4Box traf)
    {
        foreach (var sgpd in traf.ChildrenOf(FourCc.Sgpd))
        {
            var b = sgpd.Body;
            if (b.Length >= 19 && BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(4)) == FourCc.Seig)
            {
                return b[18] == 0;
            }
        }

        return false;
    }

    private static (byte[] Iv, (int Clear, int Protected)[]? Subsamples)[]? ReadSenc(byte[]? senc, int sampleCount, TrackProtection protection)
    {
        if (senc is null)
        {
            // Constant IV and whole-sample protection: nothing varies per sample, tenc's defaults apply.
            return protection.IvSize == 0 ? Enumerable.Repeat(((byte[])[], ((int, int)[]?)null), sampleCount).ToArray() : null;
        }

        if (senc.Length < 8)
        {
            return null;
        }

        var flags = BinaryPrimitives.ReadUInt32BigEndian(senc) & 0xFFFFFF;
        if (BinaryPrimitives.ReadUInt32BigEndian(senc.AsSpan(4)) != sampleCount)
        {
            return null;
        }

        var result = new (byte[], (int, int)[]?)[sampleCount];
        var pos = 8;
        for (var i = 0; i < sampleCount; i++)
        {
            if (pos + protection.IvSize > senc.Length)
            {
                return null;
            }

            var iv = senc.AsSpan(pos, protection.IvSize).ToArray();
            pos += protection.IvSize;
            (int, int)[]? subsamples = null;
            if ((flags & 0x2) != 0)
            {
                if (pos + 2 > senc.Length)
                {
                    return null;
                }

                var n = BinaryPrimitives.ReadUInt16BigEndian(senc.AsSpan(pos));
                pos += 2;
                if (pos + (6 * n) > senc.Length)
                {
                    return null;
                }

                subsamples = new (int, int)[n];
                for (var j = 0; j < n; j++, pos += 6)
                {
                    subsamples[j] = (BinaryPrimitives.ReadUInt16BigEndian(senc.AsSpan(pos)), (int)BinaryPrimitives.ReadUInt32BigEndian(senc.AsSpan(pos + 2)));
                }
            }

            result[i] = (iv, subsamples);
        }

        return result;
    }
}
