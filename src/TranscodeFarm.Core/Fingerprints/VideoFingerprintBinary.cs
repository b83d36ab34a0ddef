using System.Buffers.Binary;

namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// Compact storage for a <see cref="VideoFingerprint"/> (37 bytes a frame, ~0.5 MB for two hours at 2 fps).
/// Header: magic "TFVF" (4 bytes), version (1), reserved (3, written as zero, ignored on read),
/// frame count (uint32 LE). Each frame: time in milliseconds (uint32 LE), quality (1 byte), hash (32 bytes, W0..W3 LE).
/// Times are stored to the millisecond, so reading back rounds them; nothing else changes.
/// </summary>
public static class VideoFingerprintBinary
{
    public const byte Version = 1;
    public const int HeaderLength = 12;
    public const int FrameLength = 4 + 1 + 32;
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
            offset += FrameLength;
        }

        return data;
    }

    /// <exception cref="FormatException">Not a version-1 fingerprint, or truncated / padded.</exception>
    public static VideoFingerprint Read(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderLength || !data[..4].SequenceEqual(Magic))
        {
            throw new FormatException("not a TranscodeFarm video fingerprint (no TFVF header)");
        }

        if (data[4] != Version)
        {
            throw new FormatException($"video fingerprint version {data[4]} is not supported (expected {Version})");
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        if (count > VideoFingerprint.MaxFrames)
        {
            throw new FormatException($"video fingerprint claims {count} frames, more than {VideoFingerprint.MaxFrames}");
        }

        if (data.Length != HeaderLength + ((long)count * FrameLength))
        {
            throw new FormatException($"video fingerprint of {count} frames must be {HeaderLength + ((long)count * FrameLength)} bytes, got {data.Length}");
        }

        var frames = new FingerprintFrame[count];
        for (var i = 0; i < frames.Length; i++)
        {
            var slot = data.Slice(HeaderLength + (i * FrameLength), FrameLength);
            var quality = slot[4];
            if (quality > 100)
            {
                throw new FormatException($"frame {i}: quality {quality} is above 100");
            }

            frames[i] = new FingerprintFrame(BinaryPrimitives.ReadUInt32LittleEndian(slot) / 1000.0, Hash256.ReadLittleEndian(slot[5..]), quality);
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
