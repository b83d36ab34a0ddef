using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace TranscodeFarm.Core.Packaging.Encryption;

/// <summary>
/// Encrypts samples in place per ISO/IEC 23001-7. 'cenc': AES-CTR over the protected bytes of a sample as one
/// keystream, a new 8-byte IV per sample. 'cbcs': AES-CBC restarted from the constant IV at each protected range,
/// 1 of every 10 blocks on video, every whole block on audio; a trailing partial block stays clear.
/// </summary>
public sealed class SampleEncryptor : IDisposable
{
    private const int Block = 16;

    private readonly Aes _aes;
    private readonly AesCtr? _ctr;
    private readonly EncryptionScheme _scheme;
    private readonly SubsampleMap? _subsamples;
    private readonly byte[] _constantIv;
    private readonly List<Subsample> _scratch = [];
    private ulong _nextIv;

    public SampleEncryptor(TrackInfo track, TrackEncryption encryption)
    {
        if (encryption.Key.Length != 16)
        {
            throw new ArgumentException("content keys are 16 bytes", nameof(encryption));
        }

        _scheme = encryption.Scheme;
        _aes = Aes.Create();
        _aes.Key = encryption.Key;
        _subsamples = track.Kind == TrackKind.Video ? new SubsampleMap(track, encryption.Scheme) : null;
        if (_scheme == EncryptionScheme.Cenc)
        {
            _constantIv = [];
            _nextIv = encryption.Iv.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(encryption.Iv)
                : throw new ArgumentException("'cenc' needs an 8-byte initial IV", nameof(encryption));
            _ctr = new AesCtr(encryption.Key);
        }
        else
        {
            _constantIv = encryption.Iv.Length == 16 ? encryption.Iv : throw new ArgumentException("'cbcs' needs a 16-byte constant IV", nameof(encryption));
        }
    }

    /// <summary>Video: 1 encrypted block in 10 for 'cbcs'. Audio: 0:0 (every whole block).</summary>
    public (byte Crypt, byte Skip) Pattern => _scheme == EncryptionScheme.Cbcs && _subsamples is not null ? ((byte)1, (byte)9) : ((byte)0, (byte)0);

    public int PerSampleIvSize => _scheme == EncryptionScheme.Cenc ? 8 : 0;

    /// <summary>Video samples carry a subsample map in senc; audio samples are encrypted whole.</summary>
    public bool UsesSubsamples => _subsamples is not null;

    /// <summary>A sample left clear (clear lead): its parameter sets still count for the slices after it.</summary>
    public void Observe(ReadOnlySpan<byte> sample)
    {
        if (_subsamples is not null)
        {
            _scratch.Clear();
            _subsamples.Map(sample, _scratch);
        }
    }

    /// <summary>
    /// Encrypts <paramref name="sample"/> in place and appends its subsample map (video) to <paramref name="subsamples"/>;
    /// returns the sample's IV ('cenc': the 8-byte per-sample IV as a number; 'cbcs': 0, the constant IV is in tenc).
    /// Nothing is allocated per sample.
    /// </summary>
    public ulong Encrypt(Span<byte> sample, List<Subsample> subsamples)
    {
        var first = subsamples.Count;
        var count = _subsamples?.Map(sample, subsamples) ?? 0;
        var map = _subsamples is null ? default : CollectionsMarshal.AsSpan(subsamples).Slice(first, count);
        if (_ctr is not null)
        {
            var iv = _nextIv++;
            EncryptCtr(sample, map, iv);
            return iv;
        }

        if (_subsamples is null)
        {
            EncryptCbcsRange(sample, crypt: int.MaxValue, skip: 0);
        }
        else
        {
            var pos = 0;
            foreach (var s in map)
            {
                pos += s.Clear;
                EncryptCbcsRange(sample.Slice(pos, (int)s.Protected), crypt: 1, skip: 9);
                pos += (int)s.Protected;
            }
        }

        return 0;
    }

    /// <summary>The same, with the sample's aux info as its own objects (tests and micro-benchmarks; the packager uses the other).</summary>
    public SampleAuxInfo Encrypt(Span<byte> sample)
    {
        _scratch.Clear();
        var iv = Encrypt(sample, _scratch);
        var ivBytes = new byte[PerSampleIvSize];
        if (ivBytes.Length == 8)
        {
            BinaryPrimitives.WriteUInt64BigEndian(ivBytes, iv);
        }

        return new SampleAuxInfo(ivBytes, _subsamples is null ? null : [.. _scratch]);
    }

    private void EncryptCtr(Span<byte> sample, ReadOnlySpan<Subsample> subsamples, ulong iv)
    {
        if (_subsamples is null)
        {
            _ctr!.Start(iv, sample.Length);
            _ctr.Apply(sample);
            return;
        }

        long total = 0;
        foreach (var s in subsamples)
        {
            total += s.Protected;
        }

        _ctr!.Start(iv, total);
        var pos = 0;
        foreach (var s in subsamples)
        {
            pos += s.Clear;
            _ctr.Apply(sample.Slice(pos, (int)s.Protected));
            pos += (int)s.Protected;
        }
    }

    /// <summary>CBC over the pattern's encrypted blocks of one protected range, chained from the constant IV.</summary>
    private void EncryptCbcsRange(Span<byte> range, int crypt, int skip)
    {
        var blocks = range.Length / Block;
        if (blocks == 0)
        {
            return;
        }

        Span<byte> chain = stackalloc byte[Block];
        _constantIv.CopyTo(chain);
        if (skip == 0)
        {
            var whole = range[..(blocks * Block)];
            _aes.EncryptCbc(whole, chain, whole, PaddingMode.None); // in place: same buffer in and out is allowed
            return;
        }

        // The skipped blocks are not part of the CBC chain, so the pattern's encrypted blocks are gathered into one
        // buffer, encrypted in one CBC call and scattered back: the same bytes as block-by-block, far fewer calls.
        var period = crypt + skip;
        var selected = ((blocks / period) * crypt) + Math.Min(blocks % period, crypt);
        var gathered = ArrayPool<byte>.Shared.Rent(selected * Block);
        try
        {
            var g = 0;
            for (var b = 0; b < blocks; b++)
            {
                if (b % period < crypt)
                {
                    range.Slice(b * Block, Block).CopyTo(gathered.AsSpan(g++ * Block));
                }
            }

            var span = gathered.AsSpan(0, selected * Block);
            _aes.EncryptCbc(span, chain, span, PaddingMode.None);
            g = 0;
            for (var b = 0; b < blocks; b++)
            {
                if (b % period < crypt)
                {
                    gathered.AsSpan(g++ * Block, Block).CopyTo(range.Slice(b * Block, Block));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(gathered);
        }
    }

    public void Dispose()
    {
        _ctr?.Dispose();
        _aes.Dispose();
    }
}
