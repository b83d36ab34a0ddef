using System.Buffers.Binary;

namespace TranscodeFarm.Core.Packaging;

/// <summary>
/// Turns one moof and the mdat after it into samples per track. Every offset, size and count is checked
/// against the bytes that are really there, so a hostile file fails with a reason instead of a huge allocation.
/// </summary>
public static class FragmentReader
{
    public const int MaxSamplesPerFragment = 200_000;

    private const uint TfhdBaseDataOffset = 0x1, TfhdSampleDescriptionIndex = 0x2, TfhdDefaultDuration = 0x8,
        TfhdDefaultSize = 0x10, TfhdDefaultFlags = 0x20, TfhdDefaultBaseIsMoof = 0x20000;

    private const uint TrunDataOffset = 0x1, TrunFirstSampleFlags = 0x4, TrunDuration = 0x100, TrunSize = 0x200,
        TrunFlags = 0x400, TrunCompositionOffset = 0x800;

    /// <param name="moof">The parsed moof.</param>
    /// <param name="moofSize">Its size in bytes: sample offsets count from its first byte.</param>
    /// <param name="moofPosition">Its position in the stream, for tfhd base_data_offset.</param>
    /// <param name="mdatPayload">The payload of the mdat that follows it, contiguous: samples are slices of it, not copies.</param>
    /// <param name="mdatPayloadOffset">Where that payload starts, counted from the moof's first byte.</param>
    public static List<(uint TrackId, List<Mp4Sample> Samples)> Read(
        Mp4Box moof, long moofPosition, ReadOnlyMemory<byte> mdatPayload, long mdatPayloadOffset, IReadOnlyDictionary<uint, TrackInfo> tracks)
    {
        var result = new List<(uint, List<Mp4Sample>)>();
        long nextDataOffset = 0; // legacy rule: a traf without base starts where the previous one's data ended
        var total = 0;
        long handed = 0; // several truns may point at the same bytes: never hand on more bytes than the mdat holds
        foreach (var traf in moof.ChildrenOf(FourCc.Traf))
        {
            var tfhd = traf.Child(FourCc.Tfhd)?.Body ?? throw new Mp4FormatException("a traf has no tfhd");
            var r = new FieldReader(tfhd, "tfhd");
            var flags = r.U32() & 0xFFFFFF;
            var trackId = r.U32();
            if (!tracks.TryGetValue(trackId, out var track))
            {
                throw new Mp4FormatException($"a fragment refers to track {trackId}, which the moov does not declare");
            }

            long baseOffset = (flags & TfhdBaseDataOffset) != 0 ? BaseOffset(r.U64(), moofPosition)
                : (flags & TfhdDefaultBaseIsMoof) != 0 ? 0 : nextDataOffset;
            _ = (flags & TfhdSampleDescriptionIndex) != 0 ? r.U32() : 0;
            var defaultDuration = (flags & TfhdDefaultDuration) != 0 ? r.U32() : track.Defaults.Duration;
            var defaultSize = (flags & TfhdDefaultSize) != 0 ? r.U32() : track.Defaults.Size;
            var defaultFlags = (flags & TfhdDefaultFlags) != 0 ? r.U32() : track.Defaults.Flags;

            var tfdt = traf.Child(FourCc.Tfdt)?.Body ?? throw new Mp4FormatException($"track {trackId}: a fragment has no tfdt (decode time)");
            var t = new FieldReader(tfdt, "tfdt");
            var decodeTime = t.U32() >> 24 == 1 ? (long)t.U64() : t.U32();

            var samples = new List<Mp4Sample>();
            var dataOffset = baseOffset;
            foreach (var trun in traf.ChildrenOf(FourCc.Trun))
            {
                var tr = new FieldReader(trun.Body, "trun");
                var versionFlags = tr.U32();
                var version = versionFlags >> 24;
                var trunFlags = versionFlags & 0xFFFFFF;
                var count = tr.U32();
                total += (int)Math.Min(count, int.MaxValue);
                if (count > MaxSamplesPerFragment || total > MaxSamplesPerFragment)
                {
                    throw new Mp4FormatException($"track {trackId}: a fragment declares {count} samples (limit {MaxSamplesPerFragment})");
                }

                if ((trunFlags & TrunDataOffset) != 0)
                {
                    dataOffset = baseOffset + tr.I32();
                }

                uint? firstFlags = (trunFlags & TrunFirstSampleFlags) != 0 ? tr.U32() : null;
                for (var i = 0; i < count; i++)
                {
                    var duration = (trunFlags & TrunDuration) != 0 ? tr.U32() : defaultDuration;
                    var size = (trunFlags & TrunSize) != 0 ? tr.U32() : defaultSize;
                    var sampleFlags = (trunFlags & TrunFlags) != 0 ? tr.U32() : i == 0 && firstFlags is { } f ? f : defaultFlags;
                    var cto = (trunFlags & TrunCompositionOffset) != 0 ? (version == 0 ? (int)Math.Min(tr.U32(), int.MaxValue) : tr.I32()) : 0;
                    var start = dataOffset - mdatPayloadOffset;
                    if (start < 0 || start + size > mdatPayload.Length)
                    {
                        throw new Mp4FormatException($"track {trackId}: sample data at offset {dataOffset} ({size} bytes) lies outside the mdat");
                    }

                    handed += size;
                    if (handed > mdatPayload.Length)
                    {
                        throw new Mp4FormatException($"track {trackId}: the fragment's samples add up to more bytes than its mdat holds");
                    }

                    var data = mdatPayload.Slice((int)start, (int)size);
                    samples.Add(new Mp4Sample { DecodeTime = decodeTime, Duration = duration, CompositionOffset = cto, Flags = sampleFlags, Data = data });
                    decodeTime += duration;
                    dataOffset += size;
                }
            }

            nextDataOffset = dataOffset;
            result.Add((trackId, samples));
        }

        return result;
    }

    private static long BaseOffset(ulong absolute, long moofPosition) =>
        absolute <= long.MaxValue ? (long)absolute - moofPosition : throw new Mp4FormatException("a tfhd base_data_offset is out of range");

    /// <summary>Sequential big-endian reads from a box payload that fail with the box's name when it is too short.</summary>
    private ref struct FieldReader(ReadOnlySpan<byte> data, string box)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _pos;

        public uint U32()
        {
            Need(4);
            var v = BinaryPrimitives.ReadUInt32BigEndian(_data[_pos..]);
            _pos += 4;
            return v;
        }

        public int I32() => unchecked((int)U32());

        public ulong U64()
        {
            Need(8);
            var v = BinaryPrimitives.ReadUInt64BigEndian(_data[_pos..]);
            _pos += 8;
            return v;
        }

        private readonly void Need(int n)
        {
            if (_pos + n > _data.Length)
            {
                throw new Mp4FormatException($"box '{box}' is truncated");
            }
        }
    }
}
