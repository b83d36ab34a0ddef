using System.Buffers;
using System.IO.Pipelines;

namespace TranscodeFarm.Core.Packaging;

/// <summary>What the demuxer hands on as the stream arrives.</summary>
public interface IDemuxHandler
{
    ValueTask OnInitAsync(byte[] ftyp, Mp4Box moov, IReadOnlyList<TrackInfo> tracks, CancellationToken cancellationToken);

    /// <summary>
    /// One fragment's samples of one track. Their <see cref="Mp4Sample.Data"/> are clear bytes lent for this call only:
    /// read (hash, copy) them before returning, never keep or change them.
    /// </summary>
    ValueTask OnSamplesAsync(TrackInfo track, IReadOnlyList<Mp4Sample> samples, CancellationToken cancellationToken);
}

/// <summary>
/// Reads a fragmented MP4 stream (ftyp, moov, then moof+mdat pairs) box by box as it arrives, without
/// seeking and without holding more than one fragment in memory. Each mdat is made contiguous at most once (a pooled
/// copy when it spans pipe segments) and its samples are handed on as slices of it.
/// </summary>
public sealed class FragmentedMp4Demuxer(long maxFragmentBytes = 256L << 20)
{
    private const long MaxHeaderBoxBytes = 64L << 20;

    private byte[]? _ftyp;
    private Dictionary<uint, TrackInfo>? _tracks;
    private (Mp4Box Box, long Position, long Size)? _pendingMoof;
    private long _position;

    public async Task RunAsync(PipeReader reader, IDemuxHandler handler, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            while (TryTakeBox(ref buffer, out var type, out var box, out var headerLength))
            {
                await HandleAsync(type, box, headerLength, handler, cancellationToken);
                _position += box.Length;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted)
            {
                if (!buffer.IsEmpty)
                {
                    throw new Mp4FormatException($"the stream ends inside a box ({buffer.Length} bytes left over at byte {_position})");
                }

                break;
            }
        }

        if (_tracks is null)
        {
            throw new Mp4FormatException("the stream ended before its moov: ffmpeg wrote no media");
        }
    }

    private bool TryTakeBox(ref ReadOnlySequence<byte> buffer, out uint type, out ReadOnlySequence<byte> box, out int headerLength)
    {
        type = 0;
        box = default;
        headerLength = 0;
        if (buffer.Length < 8)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[16];
        var n = (int)Math.Min(16, buffer.Length);
        buffer.Slice(0, n).CopyTo(head);
        if (n < 16 && System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(head) == 1)
        {
            return false; // the 64-bit size has not arrived yet
        }

        if (System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(head) == 0)
        {
            throw new Mp4FormatException($"a box at byte {_position} has size 0 (to end of file), which a stream cannot have");
        }

        var (header, size, boxType) = Mp4BoxParser.ReadHeader(head[..n], long.MaxValue);
        var limit = boxType == FourCc.Mdat ? maxFragmentBytes : MaxHeaderBoxBytes;
        if (size > limit)
        {
            throw new Mp4FormatException($"box '{FourCc.ToString(boxType)}' at byte {_position} declares {size} bytes (limit {limit})");
        }

        if (buffer.Length < size)
        {
            return false;
        }

        type = boxType;
        headerLength = header;
        box = buffer.Slice(0, size);
        buffer = buffer.Slice(size);
        return true;
    }

    private async ValueTask HandleAsync(uint type, ReadOnlySequence<byte> box, int headerLength, IDemuxHandler handler, CancellationToken cancellationToken)
    {
        if (type == FourCc.Ftyp)
        {
            _ftyp = box.ToArray();
        }
        else if (type == FourCc.Moov)
        {
            if (_tracks is not null)
            {
                throw new Mp4FormatException("the stream has a second moov");
            }

            var moov = Mp4BoxParser.ParseSingle(box.ToArray());
            var tracks = MoovReader.ReadTracks(moov);
            _tracks = tracks.ToDictionary(t => t.TrackId);
            await handler.OnInitAsync(_ftyp ?? [], moov, tracks, cancellationToken);
        }
        else if (type == FourCc.Moof)
        {
            if (_tracks is null)
            {
                throw new Mp4FormatException($"a moof at byte {_position} comes before the moov");
            }

            using var bytes = PooledBytes.From(box);
            _pendingMoof = (Mp4BoxParser.ParseSingle(bytes.Memory.Span), _position, box.Length);
        }
        else if (type == FourCc.Mdat)
        {
            if (_pendingMoof is not { } moof || _tracks is null)
            {
                throw new Mp4FormatException($"an mdat at byte {_position} has no moof before it");
            }

            _pendingMoof = null;
            var payloadOffset = _position - moof.Position + headerLength;
            // Samples are slices of this one block; it goes back to the pool once every track's handler has returned.
            using var payload = PooledBytes.From(box.Slice(headerLength));
            foreach (var (trackId, samples) in FragmentReader.Read(moof.Box, moof.Position, payload.Memory, payloadOffset, _tracks))
            {
                await handler.OnSamplesAsync(_tracks[trackId], samples, cancellationToken);
            }
        }

        // styp, sidx, free, udta, mfra...: nothing the packager needs.
    }
}
