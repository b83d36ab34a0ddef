using System.Buffers;
using System.Runtime.InteropServices;
using TranscodeFarm.Core.Packaging.Encryption;

namespace TranscodeFarm.Core.Packaging;

/// <summary>What the segment's trun and senc record for one sample; its bytes lie in <see cref="PendingSegment.Data"/>.</summary>
internal readonly record struct SegmentSample(long DecodeTime, uint Duration, int CompositionOffset, uint Flags, int Size, ulong Iv, int FirstSubsample, int SubsampleCount);

/// <summary>
/// One track's segment while it is being collected: the samples' fields, their bytes back to back in one pooled array
/// (copied out of each fragment's mdat as it arrives, and encrypted there in place), and their subsample maps in one
/// list. Reused for every segment of the track, so a track allocates nothing per sample once its buffers have grown.
/// </summary>
internal sealed class PendingSegment : IDisposable
{
    /// <summary>A segment's mdat must fit one array with the boxes before it.</summary>
    private const int MaxDataBytes = 1 << 30;

    private readonly List<SegmentSample> _samples = [];
    private byte[] _data = [];
    private int _length;

    public int Count => _samples.Count;

    public bool IsEmpty => _samples.Count == 0;

    /// <summary>Set when the segment's first sample arrives: clear-lead segments of an encrypted track stay clear.</summary>
    public bool ClearLead { get; set; }

    public ReadOnlySpan<SegmentSample> Samples => CollectionsMarshal.AsSpan(_samples);

    public List<Subsample> Subsamples { get; } = [];

    public ReadOnlySpan<byte> Data => _data.AsSpan(0, _length);

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

        if (_length + bytes.Length > _data.Length)
        {
            Grow(_length + bytes.Length);
        }

        var target = _data.AsSpan(_length, bytes.Length);
        bytes.CopyTo(target);
        _length += bytes.Length;
        return target;
    }

    public void Add(SegmentSample sample) => _samples.Add(sample);

    public void Reset()
    {
        _samples.Clear();
        Subsamples.Clear();
        _length = 0;
        ClearLead = false;
    }

    private void Grow(int needed)
    {
        var next = ArrayPool<byte>.Shared.Rent((int)Math.Min(MaxDataBytes, Math.Max(needed, Math.Max(1 << 16, (long)_data.Length * 2))));
        _data.AsSpan(0, _length).CopyTo(next);
        Return();
        _data = next;
    }

    private void Return()
    {
        if (_data.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_data);
        }
    }

    public void Dispose()
    {
        Return();
        _data = [];
        _length = 0;
    }
}
