using System.Buffers;
using System.Runtime.InteropServices;
using TranscodeFarm.Core.Packaging.Encryption;

namespace TranscodeFarm.Core.Packaging;

/// <summary>What the segment's trun and senc record for one sample; its bytes lie in <see cref="PendingSegment.Data"/>.</summary>
internal readonly record struct SegmentSample(long DecodeTime, uint Duration, int CompositionOffset, uint Flags, int Size, ulong Iv, int FirstSubsample, int SubsampleCount);

/// <summary>
/// One track's segment while it is being collected: the samples' fields, their bytes back to back in pooled chunks
/// (copied out of each fragment's mdat as it arrives, and encrypted there in place), and their subsample maps in one
/// list. Chunks, not one growing array: a growing array would copy the segment again each time it doubles, and a new
/// packager (one per job) would pay that on its first segment. Reused for every segment of the track, so a track
/// allocates nothing per sample once it has its chunks.
/// </summary>
internal sealed class PendingSegment : IDisposable
{
    /// <summary>A segment's mdat must fit one array with the boxes before it.</summary>
    private const int MaxDataBytes = 1 << 30;

    /// <summary>Chunk size; a larger sample gets a chunk of its own size.</summary>
    private const int ChunkBytes = 1 << 20;

    private readonly List<SegmentSample> _samples = [];
    private readonly List<byte[]> _chunks = [];
    private readonly List<int> _used = [];
    private int _current = -1;
    private int _length;

    public int Count => _samples.Count;

    public bool IsEmpty => _samples.Count == 0;

    /// <summary>Set when the segment's first sample arrives: clear-lead segments of an encrypted track stay clear.</summary>
    public bool ClearLead { get; set; }

    public ReadOnlySpan<SegmentSample> Samples => CollectionsMarshal.AsSpan(_samples);

    public List<Subsample> Subsamples { get; } = [];

    /// <summary>Bytes of all samples so far (the mdat's payload).</summary>
    public int DataLength => _length;

    public long DecodeTime => _samples[0].DecodeTime;

    public long Duration
    {
        get
        {
            long total = 0;
            foreach (var s in Samples)
            {
                total += s.Duration;
            }

            return total;
        }
    }

    /// <summary>Copies a sample's bytes in; returns where they now lie, for in-place encryption before <see cref="Add"/>.</summary>
    public Span<byte> Append(ReadOnlySpan<byte> bytes)
    {
        if (_length + (long)bytes.Length > MaxDataBytes)
        {
            throw new Mp4FormatException($"a segment's samples add up to more than {MaxDataBytes} bytes");
        }

        if (_current < 0 || _chunks[_current].Length - _used[_current] < bytes.Length)
        {
            NextChunk(bytes.Length);
        }

        var target = _chunks[_current].AsSpan(_used[_current], bytes.Length);
        bytes.CopyTo(target);
        _used[_current] += bytes.Length;
        _length += bytes.Length;
        return target;
    }

    public void Add(SegmentSample sample) => _samples.Add(sample);

    /// <summary>Copies every sample's bytes, in order, to <paramref name="destination"/> (<see cref="DataLength"/> bytes).</summary>
    public void CopyDataTo(Span<byte> destination)
    {
        for (var i = 0; i <= _current; i++)
        {
            _chunks[i].AsSpan(0, _used[i]).CopyTo(destination);
            destination = destination[_used[i]..];
        }
    }

    /// <summary>Starts the next segment; the chunks stay for it.</summary>
    public void Reset()
    {
        _samples.Clear();
        Subsamples.Clear();
        for (var i = 0; i < _used.Count; i++)
        {
            _used[i] = 0;
        }

        _current = -1;
        _length = 0;
        ClearLead = false;
    }

    private void NextChunk(int needed)
    {
        _current++;
        if (_current < _chunks.Count && _chunks[_current].Length < needed)
        {
            // Too small for this sample: swap it for a big enough one.
            ArrayPool<byte>.Shared.Return(_chunks[_current]);
            _chunks[_current] = ArrayPool<byte>.Shared.Rent(Math.Max(ChunkBytes, needed));
        }
        else if (_current == _chunks.Count)
        {
            _chunks.Add(ArrayPool<byte>.Shared.Rent(Math.Max(ChunkBytes, needed)));
            _used.Add(0);
        }
    }

    public void Dispose()
    {
        foreach (var chunk in _chunks)
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        _chunks.Clear();
        _used.Clear();
        _current = -1;
        _length = 0;
    }
}
