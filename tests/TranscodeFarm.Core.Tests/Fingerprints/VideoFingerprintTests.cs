using System.Text.Json;
using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

public class VideoFingerprintTests
{
    [Fact]
    public void Binary_round_trips_with_millisecond_times()
    {
        var fingerprint = Synthetic.Fingerprint(new Random(1), 30);
        var bytes = fingerprint.ToBytes();
        Assert.Equal(VideoFingerprintBinary.HeaderLength + (fingerprint.Count * VideoFingerprintBinary.FrameLength), bytes.Length);
        Assert.Equal("TFVF"u8.ToArray(), bytes[..4]);
        Assert.Equal(fingerprint.Frames, VideoFingerprint.FromBytes(bytes).Frames);
    }

    [Fact]
    public void Binary_rejects_damage()
    {
        var bytes = Synthetic.Fingerprint(new Random(2), 5).ToBytes();
        Assert.Throws<FormatException>(() => VideoFingerprint.FromBytes(bytes[..^1]));
        Assert.Throws<FormatException>(() => VideoFingerprint.FromBytes(bytes.Concat(new byte[1]).ToArray()));
        Assert.Throws<FormatException>(() => VideoFingerprint.FromBytes(bytes[..8]));

        var badMagic = (byte[])bytes.Clone();
        badMagic[0] = (byte)'X';
        Assert.Throws<FormatException>(() => VideoFingerprint.FromBytes(badMagic));

        var newerVersion = (byte[])bytes.Clone();
        newerVersion[4] = 3;
        Assert.Throws<FormatException>(() => VideoFingerprint.FromBytes(newerVersion));

        var hugeCount = (byte[])bytes.Clone();
        hugeCount[11] = 0xff;
        Assert.Throws<FormatException>(() => VideoFingerprint.FromBytes(hugeCount));

        var badQuality = (byte[])bytes.Clone();
        badQuality[VideoFingerprintBinary.HeaderLength + 4] = 101;
        Assert.Throws<FormatException>(() => VideoFingerprint.FromBytes(badQuality));
    }

    [Fact]
    public void Json_form_round_trips_through_System_Text_Json()
    {
        var fingerprint = Synthetic.Fingerprint(new Random(3), 10);
        var text = JsonSerializer.Serialize(fingerprint.ToJson());
        Assert.Contains(fingerprint.Frames[0].Hash.ToString(), text, StringComparison.Ordinal);
        var back = JsonSerializer.Deserialize<VideoFingerprintJson>(text)!.ToFingerprint();
        Assert.Equal(fingerprint.Frames, back.Frames);
        Assert.Throws<FormatException>(() => (fingerprint.ToJson() with { Version = 9 }).ToFingerprint());
    }

    [Fact]
    public void Rejects_frames_out_of_order_or_with_bad_quality()
    {
        var hash = new Hash256(1, 2, 3, 4);
        Assert.Throws<ArgumentException>(() => new VideoFingerprint([new(1, hash, 50), new(0.5, hash, 50)]));
        Assert.Throws<ArgumentException>(() => new VideoFingerprint([new(-1, hash, 50)]));
        Assert.Throws<ArgumentException>(() => new VideoFingerprint([new(double.NaN, hash, 50)]));
        Assert.Throws<ArgumentException>(() => new VideoFingerprint([new(0, hash, 101)]));
    }

    [Fact]
    public void Helpers_find_frames_and_intervals()
    {
        var fingerprint = Synthetic.Fingerprint(new Random(4), 20); // frames every 0.5 s from 0
        Assert.Equal(0.5, fingerprint.MedianIntervalSeconds);
        Assert.Equal(9.5, fingerprint.SpanSeconds);
        Assert.Equal(0, fingerprint.NearestIndex(-3));
        Assert.Equal(2, fingerprint.NearestIndex(1.1));
        Assert.Equal(3, fingerprint.NearestIndex(1.3));
        Assert.Equal(19, fingerprint.NearestIndex(100));
        Assert.Equal(-1, VideoFingerprint.Empty.NearestIndex(1));
        Assert.Equal(4, fingerprint.Slice(1, 3).Count);
        Assert.Equal(0, fingerprint.Shift(-2).Frames[0].TimeSeconds);
    }
}
