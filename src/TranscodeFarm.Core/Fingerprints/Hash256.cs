using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// A 256-bit perceptual hash; similar images have a small Hamming distance. Bit k (0..255) lives in word k / 64 at
/// position k % 64. Value equality; <see cref="ToString"/> is 64 lowercase hex digits, most significant word first.
/// </summary>
public readonly record struct Hash256(ulong W0, ulong W1, ulong W2, ulong W3)
{
    public const int Bits = 256;
    public const int ChunkCount = 16;
    public const int ChunkBits = 16;
    private const int HexLength = 64;

    public static int Distance(Hash256 a, Hash256 b) =>
        BitOperations.PopCount(a.W0 ^ b.W0) + BitOperations.PopCount(a.W1 ^ b.W1) +
        BitOperations.PopCount(a.W2 ^ b.W2) + BitOperations.PopCount(a.W3 ^ b.W3);

    public int DistanceTo(Hash256 other) => Distance(this, other);

    public int PopCount() =>
        BitOperations.PopCount(W0) + BitOperations.PopCount(W1) + BitOperations.PopCount(W2) + BitOperations.PopCount(W3);

    public bool GetBit(int index) => ((Word(index) >> (index & 63)) & 1) != 0;

    public Hash256 WithBitFlipped(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Bits);
        var mask = 1UL << (index & 63);
        return (index >> 6) switch
        {
            0 => this with { W0 = W0 ^ mask },
            1 => this with { W1 = W1 ^ mask },
            2 => this with { W2 = W2 ^ mask },
            _ => this with { W3 = W3 ^ mask },
        };
    }

    /// <summary>Chunk i is bits 16i..16i+15: the unit of the index's multi-index hashing.</summary>
    public ushort Chunk(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ChunkCount);
        return (ushort)(Word(index * ChunkBits) >> ((index & 3) * ChunkBits));
    }

    /// <summary>Builds a hash from 256 flags; flag k becomes bit k.</summary>
    public static Hash256 FromBits(ReadOnlySpan<bool> bits)
    {
        if (bits.Length != Bits)
        {
            throw new ArgumentException($"need {Bits} bits, got {bits.Length}", nameof(bits));
        }

        Span<ulong> words = stackalloc ulong[4];
        for (var k = 0; k < Bits; k++)
        {
            if (bits[k])
            {
                words[k >> 6] |= 1UL << (k & 63);
            }
        }

        return new Hash256(words[0], words[1], words[2], words[3]);
    }

    /// <summary>32 bytes, little-endian words W0..W3: the binary fingerprint format.</summary>
    public void WriteLittleEndian(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, W0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], W1);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], W2);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], W3);
    }

    public static Hash256 ReadLittleEndian(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(source),
        BinaryPrimitives.ReadUInt64LittleEndian(source[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(source[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(source[24..]));

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{W3:x16}{W2:x16}{W1:x16}{W0:x16}");

    public static Hash256 Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != HexLength)
        {
            throw new FormatException($"a 256-bit hash is {HexLength} hex digits, got {hex.Length}");
        }

        return new Hash256(Word(hex, 3), Word(hex, 2), Word(hex, 1), Word(hex, 0));
    }

    private static ulong Word(string hex, int position) =>
        ulong.TryParse(hex.AsSpan(position * 16, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var word)
            ? word
            : throw new FormatException("a 256-bit hash must be hex digits only");

    private ulong Word(int bitIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bitIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bitIndex, Bits);
        return (bitIndex >> 6) switch
        {
            0 => W0,
            1 => W1,
            2 => W2,
            _ => W3,
        };
    }
}
