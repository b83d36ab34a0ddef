using System.Buffers.Binary;

namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// Compact storage for a <see cref="VideoFingerprint"/> (69 bytes a frame, ~1 MB for two hours at 2 fps).
/// Header: magic "TFVF" (4 bytes), version (1), reserved (3, written as zero, ignored on read),
/// frame count (uint32 LE). Each frame: time in milliseconds (uint32 LE), quality (1 byte), hash (32 bytes, W0..W3 LE),
/// and since version 2 the centre hash (32 bytes; all zero when not computed). Version 1 (no centre hash) is still read:
/// its frames have no <see cref="FingerprintFrame.CentreHash"/>, so they match centre-cropped copies only as well as the
/// whole-frame hash does, until re-indexed (issue 17). Times are stored to the millisecond, so reading back rounds them;
/// nothing else changes.
/// </summary>
public static class VideoFingerprintBinary
{
    /// <summary>The version written: 2 since issue 17 (centre hashes).</summary>
    public const byte Version = 2;
    public const byte FirstVersion = 1;
    public const int HeaderLength = 12;
    public const int FrameLength = 4 + 1 + 32 + 32;
    private const int FrameLengthV1 = 4 + 1 + 32;
    private static ReadOnlySpan<byte> Magic => "TFVF"u8;

    public static byte[] Write(VideoFingerprint fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        var data = new byte[HeaderLength + (fingerprint.Count * FrameLength)];
        Magic.CopyTo(data);
        data[4] = Version;
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(8), (uint)fingerprint.Count);
        var offset = HeaderLength;
        foreach (var frame in fingerprint.Frames)
        {
            var milliseconds = Math.Round(frame.TimeSeconds * 1000);
            if (milliseconds > uint.MaxValue)
            {
                throw new ArgumentException("a frame time beyond 49 days does not fit the binary format", nameof(fingerprint));
            }

            var slot = data.AsSpan(offset, FrameLength);
            BinaryPrimitives.WriteUInt32LittleEndian(slot, (uint)milliseconds);
            slot[4] = (byte)frame.Quality;
            frame.Hash.WriteLittleEndian(slot[5..]);
            frame.CentreHash.WriteLittleEndian(slot[37..]);
            offset += FrameLength;
        }

        return data;
    }

    /// <summary>The stored form's version (1 or 2), without parsing the frames.</summary>
    /// <exception cref="FormatException">Not a fingerprint, or a version this build does not read.</exception>
    public static int VersionOf(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderLength || !data[..4].SequenceEqual(Magic))
        {
            throw new FormatException("not a TranscodeFarm video fingerprint (no TFVF header)");
        }

        if (data[4] is < FirstVersion or > Version)
        {
            throw new FormatException($"video fingerprint version {data[4]} is not supported (expected {FirstVersion}..{Version})");
        }

        return data[4];
    }

    /// <exception cref="FormatException">Not a version-1 or version-2 fingerprint, or truncated / padded.</exception>
    public static VideoFingerprint Read(ReadOnlySpan<byte> data)
    {
        var version = VersionOf(data);
        var frameLength = version == FirstVersion ? FrameLengthV1 : FrameLength;

        var count = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        if (count > VideoFingerprint.MaxFrames)
        {
            throw new FormatException($"video fingerprint claims {count} frames, more than {VideoFingerprint.MaxFrames}");
        }

        if (data.Length != HeaderLength + ((long)count * frameLength))
        {
            throw new FormatException($"video fingerprint of {count} frames must be {HeaderLength + ((long)count * frameLength)} bytes, got {data.Length}");
        }

        var frames = new FingerprintFrame[count];
        for (var i = 0; i < frames.Length; i++)
        {
            var slot = data.Slice(HeaderLength + (i * frameLength), frameLength);
            var quality = slot[4];
            if (quality > 100)
            {
                throw new FormatException($"frame {i}: quality {quality} is above 100");
            }

            frames[i] = new FingerprintFrame(BinaryPrimitives.ReadUInt32LittleEndian(slot) / 1000.0, Hash256.ReadLittleEndian(slot[5..]), quality)
            {
                CentreHash = version == FirstVersion ? default : Hash256.ReadLittleEndian(slot[37..]),
            };
        }

        try
        {
            return new VideoFingerprint(frames);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"invalid video fingerprint: {e.Message}", e);
        }
    }
}
