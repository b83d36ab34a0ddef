namespace TranscodeFarm.Core.Packaging.Encryption;

/// <summary>
/// Splits an H.264/HEVC sample into clear and protected ranges: NAL length prefixes, NAL headers, slice headers
/// and non-VCL NAL units (SPS, PPS, SEI, AUD) stay clear; slice data is protected. For 'cenc' the protected
/// part of each NAL unit is trimmed to whole 16-byte blocks (CMAF), the remainder joining the clear part.
/// </summary>
internal sealed class SubsampleMap
{
    /// <summary>
    /// HEVC slice headers are not parsed yet: this many bytes after the NAL header are kept clear, enough for the
    /// entry points of wavefront-parallel 2160p (about 34 CTU rows) on top of the header's other fields.
    /// </summary>
    internal const int HevcClearSliceHeaderBytes = 254;

    private readonly TrackInfo _track;
    private readonly AvcSliceHeader? _avc;
    private readonly bool _blockAligned;

    public SubsampleMap(TrackInfo track, EncryptionScheme scheme)
    {
        if (!track.IsAvc && !track.IsHevc)
        {
            throw new NotSupportedException($"subsample encryption of '{track.Codec}' video is not supported (H.264 and HEVC are)");
        }

        _track = track;
        _avc = track.IsAvc ? new AvcSliceHeader(track.CodecConfig) : null;
        _blockAligned = scheme == EncryptionScheme.Cenc;
    }

    /// <summary>Appends the sample's (clear, protected) pairs to <paramref name="result"/>; returns how many.</summary>
    public int Map(ReadOnlySpan<byte> sample, List<Subsample> result)
    {
        var first = result.Count;
        var lengthSize = _track.NalLengthSize;
        long pendingClear = 0;
        var pos = 0;
        while (pos < sample.Length)
        {
            if (pos + lengthSize > sample.Length)
            {
                throw new Mp4FormatException("a video sample ends inside a NAL length prefix");
            }

            long nalSize = 0;
            for (var i = 0; i < lengthSize; i++)
            {
                nalSize = (nalSize << 8) | sample[pos + i];
            }

            if (nalSize == 0 || pos + lengthSize + nalSize > sample.Length)
            {
                throw new Mp4FormatException($"a NAL unit of {nalSize} bytes does not fit in its {sample.Length}-byte sample");
            }

            var nal = sample.Slice(pos + lengthSize, (int)nalSize);
            var header = ClearHeaderBytes(nal);
            var protectedBytes = nalSize - header;
            if (_blockAligned)
            {
                protectedBytes -= protectedBytes % 16;
            }

            pendingClear += lengthSize + nalSize - protectedBytes;
            if (protectedBytes > 0)
            {
                while (pendingClear > ushort.MaxValue)
                {
                    result.Add(new Subsample(ushort.MaxValue, 0));
                    pendingClear -= ushort.MaxValue;
                }

                result.Add(new Subsample((ushort)pendingClear, (uint)protectedBytes));
                pendingClear = 0;
            }

            pos += lengthSize + (int)nalSize;
        }

        while (pendingClear > 0)
        {
            var clear = (ushort)Math.Min(pendingClear, ushort.MaxValue);
            result.Add(new Subsample(clear, 0));
            pendingClear -= clear;
        }

        return result.Count - first;
    }

    /// <summary>Bytes at the start of a NAL unit that must stay clear: all of it for non-VCL units.</summary>
    private int ClearHeaderBytes(ReadOnlySpan<byte> nal)
    {
        if (_avc is not null)
        {
            var type = nal[0] & 0x1F;
            if (!AvcSliceHeader.IsVcl(type))
            {
                _avc.ReadParameterSet(nal);
                return nal.Length;
            }

            return Math.Min(nal.Length, _avc.Measure(nal));
        }

        var hevcType = (nal[0] >> 1) & 0x3F;
        return hevcType < 32 ? Math.Min(nal.Length, 2 + HevcClearSliceHeaderBytes) : nal.Length;
    }
}
