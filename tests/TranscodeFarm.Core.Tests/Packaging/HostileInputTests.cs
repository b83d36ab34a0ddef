using System.Buffers.Binary;
using System.IO.Pipelines;
using TranscodeFarm.Core.Packaging;

namespace TranscodeFarm.Core.Tests.Packaging;

/// <summary>Broken and hostile streams fail fast with a reason; none hangs or allocates what it declares.</summary>
public class HostileInputTests
{
    private static byte[] Box(string type, params byte[][] payload)
    {
        var body = payload.SelectMany(p => p).ToArray();
        var b = new byte[8 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(b, (uint)b.Length);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(4), FourCc.Of(type));
        body.CopyTo(b, 8);
        return b;
    }

    private static async Task<string> FailAsync(byte[] stream)
    {
        var sink = new MemorySink();
        using var packager = new CmafPackager(new PackagerOptions(2), sink);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var ex = await Assert.ThrowsAsync<Mp4FormatException>(() =>
            new FragmentedMp4Demuxer().RunAsync(PipeReader.Create(PackagingFixture.Chunked(stream, 7)), packager, timeout.Token));
        return ex.Message;
    }

    private static byte[] FixtureHead => PackagingFixture.Input.AsSpan(0, (int)Mp4BoxParser.Parse(PackagingFixture.Input).TakeWhile(b => b.Type != FourCc.Moof).Sum(b => b.Size)).ToArray();

    [Fact]
    public async Task Truncated_stream_fails_with_where()
    {
        var input = PackagingFixture.Input;
        Assert.Contains("ends inside a box", await FailAsync(input.AsSpan(0, input.Length - 100).ToArray()));
    }

    [Fact]
    public async Task Box_larger_than_its_limit_is_refused_before_buffering()
    {
        var huge = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(huge, 0xFFFF_FFF0);
        BinaryPrimitives.WriteUInt32BigEndian(huge.AsSpan(4), FourCc.Moov);
        Assert.Contains("limit", await FailAsync(huge));
    }

    [Fact]
    public async Task Zero_and_undersized_boxes_are_refused()
    {
        Assert.Contains("size 0", await FailAsync([0, 0, 0, 0, .. "free"u8, 1, 2, 3]));
        Assert.Contains("less than its own header", await FailAsync([0, 0, 0, 4, .. "free"u8]));
    }

    [Fact]
    public async Task Media_before_the_moov_is_refused()
    {
        Assert.Contains("before the moov", await FailAsync(Box("moof", Box("mfhd", new byte[8]))));
        Assert.Contains("no moof before it", await FailAsync([.. FixtureHead, .. Box("mdat", new byte[10])]));
    }

    [Fact]
    public async Task Absurd_sample_count_is_refused_without_allocating_it()
    {
        var tfhd = Box("tfhd", [0, 0x02, 0, 0x38], [0, 0, 0, 1], new byte[12]); // default-base-is-moof, duration, size (0), flags
        var tfdt = Box("tfdt", new byte[8]);
        var trun = Box("trun", [0, 0, 0, 0], [0xFF, 0xFF, 0xFF, 0xFF]);
        var moof = Box("moof", Box("mfhd", new byte[8]), Box("traf", tfhd, tfdt, trun));
        Assert.Contains("samples", await FailAsync([.. FixtureHead, .. moof, .. Box("mdat", new byte[16])]));
    }

    [Fact]
    public async Task Sample_data_outside_the_mdat_is_refused()
    {
        var tfhd = Box("tfhd", [0, 0x02, 0, 0], [0, 0, 0, 1]);
        var tfdt = Box("tfdt", new byte[8]);
        var trun = Box("trun", [0, 0, 0x03, 0x01], [0, 0, 0, 1], [0, 0, 0, 0], [0, 0, 0, 40], [0, 0x10, 0, 0]); // one sample of 1 MiB
        var moof = Box("moof", Box("mfhd", new byte[8]), Box("traf", tfhd, tfdt, trun));
        Assert.Contains("outside the mdat", await FailAsync([.. FixtureHead, .. moof, .. Box("mdat", new byte[16])]));
    }

    [Fact]
    public void Deep_nesting_and_lying_sizes_in_a_tree_fail_cleanly()
    {
        var nested = Box("free");
        for (var i = 0; i < 40; i++)
        {
            nested = Box("moov", nested);
        }

        Assert.Contains("nested deeper", Assert.Throws<Mp4FormatException>(() => Mp4BoxParser.Parse(nested)).Message);
        var lying = Box("moov", Box("trak"));
        BinaryPrimitives.WriteUInt32BigEndian(lying.AsSpan(8), 1000);
        Assert.Contains("only 8 remain", Assert.Throws<Mp4FormatException>(() => Mp4BoxParser.Parse(lying)).Message);
    }

    [Fact]
    public async Task A_sample_with_a_lying_nal_length_fails_encryption_with_a_reason()
    {
        var input = PackagingFixture.Input;
        // Corrupt the first NAL length of the first video sample in the first fragment.
        var boxes = Mp4BoxParser.Parse(input);
        var firstMdat = (int)boxes.TakeWhile(b => b.Type != FourCc.Mdat).Sum(b => b.Size) + 8;
        var broken = input.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(broken.AsSpan(firstMdat), 0x7FFF_FFFF);
        var ex = await Assert.ThrowsAsync<Mp4FormatException>(() => PackagingFixture.PackageAsync(broken, new PackagerOptions(1)
        {
            EncryptionFor = (_, _) => new TranscodeFarm.Core.Packaging.Encryption.TrackEncryption(
                TranscodeFarm.Core.Packaging.Encryption.EncryptionScheme.Cenc, Guid.NewGuid(), new byte[16], new byte[8], []),
        }));
        Assert.Contains("does not fit", ex.Message);
    }
}
