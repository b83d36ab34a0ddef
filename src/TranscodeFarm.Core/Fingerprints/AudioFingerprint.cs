using System.Buffers.Binary;

namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// Chromaprint sub-fingerprints of one audio track: 32-bit words, one every <see cref="ItemSeconds"/>. Similar audio
/// gives words that differ in few bits, so two tracks are compared by bit error rate (<see cref="AudioAligner"/>).
/// </summary>
public sealed class AudioFingerprint
{
    /// <summary>
    /// Chromaprint's default configuration resamples to 11025 Hz and takes 4096-sample frames overlapping by
    /// 4096 − 4096/3 = 2731 samples, so consecutive sub-fingerprints are 1365 samples apart: 1365 / 11025 ≈ 0.1238 s
    /// (~8 a second). Every fingerprint also starts a constant ~2.6 s "delay" into the audio (its chroma and image
    /// filters need history); that cancels out when two Chromaprint fingerprints are aligned with each other.
    /// </summary>
    public const double ChromaprintItemSeconds = 1365.0 / 11025.0;

    /// <summary>About 34 hours at Chromaprint's rate: bounds memory for anything read from ffmpeg or storage.</summary>
    public const int MaxItems = 1_000_000;

    private readonly uint[] _items;

    public AudioFingerprint(ReadOnlySpan<uint> items, double itemSeconds = ChromaprintItemSeconds)
    {
        if (items.Length > MaxItems)
        {
            throw new ArgumentException($"at most {MaxItems} sub-fingerprints, got {items.Length}", nameof(items));
        }

        if (!double.IsFinite(itemSeconds) || itemSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(itemSeconds), itemSeconds, "must be a positive number of seconds");
        }

        _items = items.ToArray();
        ItemSeconds = itemSeconds;
    }

    public ReadOnlySpan<uint> Items => _items;

    public int Count => _items.Length;

    public double ItemSeconds { get; }

    public double DurationSeconds => _items.Length * ItemSeconds;

    /// <summary>
    /// Reads ffmpeg's <c>-f chromaprint -fp_format raw</c> output: the sub-fingerprints as little-endian uint32s, nothing else.
    /// </summary>
    /// <exception cref="FormatException">The length is not a multiple of 4, or there are more than <see cref="MaxItems"/>.</exception>
    public static AudioFingerprint ParseChromaprintRaw(ReadOnlySpan<byte> raw)
    {
        if (raw.Length % sizeof(uint) != 0)
        {
            throw new FormatException($"raw Chromaprint output is whole uint32s; {raw.Length} bytes is not a multiple of 4");
        }

        var count = raw.Length / sizeof(uint);
        if (count > MaxItems)
        {
            throw new FormatException($"raw Chromaprint output has {count} sub-fingerprints, more than {MaxItems}");
        }

        var items = new uint[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = BinaryPrimitives.ReadUInt32LittleEndian(raw[(i * sizeof(uint))..]);
        }

        return new AudioFingerprint(items);
    }

    /// <summary>The raw form again (little-endian uint32s), e.g. to store next to the video fingerprint.</summary>
    public byte[] ToRawBytes()
    {
        var raw = new byte[_items.Length * sizeof(uint)];
        for (var i = 0; i < _items.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(raw.AsSpan(i * sizeof(uint)), _items[i]);
        }

        return raw;
    }
}
