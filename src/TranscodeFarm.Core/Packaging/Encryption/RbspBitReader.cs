namespace TranscodeFarm.Core.Packaging.Encryption;

/// <summary>
/// Reads the bits of a NAL unit's payload, skipping emulation-prevention bytes (00 00 03), and remembers how
/// many bytes of the NAL unit itself the bits read so far span: the size of a slice header on the wire.
/// </summary>
internal ref struct RbspBitReader
{
    private readonly ReadOnlySpan<byte> _nal;
    private int _byte;      // index in _nal of the byte being read
    private int _bit;       // bits already read from it (0..7)
    private int _zeros;     // consecutive zero bytes before _byte, for emulation prevention

    /// <param name="nal">The whole NAL unit; reading starts at <paramref name="start"/> (after the NAL header).</param>
    public RbspBitReader(ReadOnlySpan<byte> nal, int start)
    {
        _nal = nal;
        _byte = start;
        SkipEmulationPrevention();
    }

    /// <summary>Bytes of the NAL unit covered by the bits read so far (a partly read byte counts).</summary>
    public readonly int BytesConsumed => _bit == 0 ? _byte : _byte + 1;

    public uint Bits(int n)
    {
        uint v = 0;
        for (var i = 0; i < n; i++)
        {
            v = (v << 1) | Bit();
        }

        return v;
    }

    public bool Flag() => Bit() == 1;

    public uint Ue()
    {
        var zeros = 0;
        while (Bit() == 0)
        {
            if (++zeros > 31)
            {
                throw new Mp4FormatException("invalid Exp-Golomb code in a NAL unit");
            }
        }

        return zeros == 0 ? 0 : (uint)((1L << zeros) - 1 + Bits(zeros));
    }

    public int Se()
    {
        var k = Ue();
        return (k & 1) == 1 ? (int)((k + 1) / 2) : -(int)(k / 2);
    }

    private uint Bit()
    {
        if (_byte >= _nal.Length)
        {
            throw new Mp4FormatException("a NAL unit ends inside its header");
        }

        var v = (uint)(_nal[_byte] >> (7 - _bit)) & 1;
        if (++_bit == 8)
        {
            _bit = 0;
            _zeros = _nal[_byte] == 0 ? _zeros + 1 : 0;
            _byte++;
            SkipEmulationPrevention();
        }

        return v;
    }

    private void SkipEmulationPrevention()
    {
        if (_zeros >= 2 && _byte < _nal.Length && _nal[_byte] == 3)
        {
            _byte++;
            _zeros = 0;
        }
    }
}
