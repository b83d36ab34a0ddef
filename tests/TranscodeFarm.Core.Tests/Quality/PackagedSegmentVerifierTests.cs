using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Encryption;
using TranscodeFarm.Core.Quality;
using TranscodeFarm.Core.Tests.Packaging;

namespace TranscodeFarm.Core.Tests.Quality;

/// <summary>The gate's packaged-segment check over real packager output (the ffmpeg-made fixture, 1 s segments).</summary>
public class PackagedSegmentVerifierTests
{
    private static readonly Guid Kid = Guid.Parse("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    private static readonly byte[] Key = Convert.FromHexString("00112233445566778899aabbccddeeff");
    private static readonly byte[] SegmentKey = Convert.FromHexString("ffeeddccbbaa99887766554433221100");

    public static TheoryData<string> Protections => ["clear", "cenc", "cbcs", "cbcs-clear-lead", "aes-128"];

    [Theory]
    [MemberData(nameof(Protections))]
    public async Task Faithful_packaging_passes(string protection)
    {
        var (objects, tracks, ledger) = await PackageAsync(protection);
        using var verifier = Verifier(ledger, protection);
        Assert.All(objects, o => Assert.Null(verifier.Inspect(o)));
        Assert.Empty(verifier.Finish(tracks));
    }

    [Theory]
    [MemberData(nameof(Protections))]
    public async Task A_damaged_non_key_frame_in_the_middle_of_a_segment_of_one_rendition_fails_that_rendition(string protection)
    {
        var (objects, tracks, ledger) = await PackageAsync(protection);
        var video = tracks.Single(t => t.Info.Kind == TrackKind.Video);
        var target = objects.First(o => o.Track == video && o.SegmentNumber == 2);
        var damaged = Damage(target, protection);
        using var verifier = Verifier(ledger, protection);
        var verdicts = objects.Select(o => verifier.Inspect(o == target ? damaged : o)).OfType<TranscodeFarm.Core.Fingerprints.RenditionVerdict>().ToList();
        var verdict = Assert.Single(verdicts);
        Assert.Equal(video.Name, verdict.Rendition);
        Assert.Contains("segment 2", verdict.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Protections))]
    public async Task A_lost_last_segment_of_the_ladder_fails(string protection)
    {
        var (objects, tracks, ledger) = await PackageAsync(protection);
        var last = objects.Last(o => o.Kind == PackagedKind.Segment);
        using var verifier = Verifier(ledger, protection);
        Assert.All(objects.Where(o => o != last), o => Assert.Null(verifier.Inspect(o)));
        var verdict = Assert.Single(verifier.Finish(tracks));
        Assert.Equal(last.Track!.Name, verdict.Rendition);
        Assert.Contains("missing", verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_byte_in_the_last_segment_of_the_ladder_fails()
    {
        var (objects, _, ledger) = await PackageAsync("cenc");
        var last = objects.Last(o => o.Kind == PackagedKind.Segment);
        var bytes = last.Bytes.ToArray();
        bytes[^3] ^= 0x40; // the end of the last sample's mdat
        using var verifier = Verifier(ledger, "cenc");
        var verdicts = objects.Select(o => verifier.Inspect(o == last ? last with { Bytes = bytes } : o)).OfType<TranscodeFarm.Core.Fingerprints.RenditionVerdict>().ToList();
        Assert.Contains(last.Track!.Name, Assert.Single(verdicts).Rendition);
    }

    [Fact]
    public async Task An_init_segment_that_hides_its_protection_fails()
    {
        var (clearObjects, _, _) = await PackageAsync("clear");
        var (objects, _, ledger) = await PackageAsync("cenc");
        using var verifier = Verifier(ledger, "cenc");
        var clearInit = clearObjects.First(o => o.Kind == PackagedKind.Init);
        var init = objects.First(o => o.Kind == PackagedKind.Init && o.Name == clearInit.Name);
        var verdict = verifier.Inspect(init with { Bytes = clearInit.Bytes });
        Assert.Contains("declares no protection", verdict!.Problem, StringComparison.Ordinal);
    }

    /// <summary>Flips a byte inside the middle sample of the segment (a non-key frame), past any clear header bytes.</summary>
    private static PackagedObject Damage(PackagedObject segment, string protection)
    {
        var bytes = segment.Bytes.ToArray();
        if (protection == "aes-128")
        {
            // The whole segment is one CBC chain: any changed ciphertext byte garbles what follows.
            bytes[bytes.Length / 2] ^= 0x01;
            return segment with { Bytes = bytes };
        }

        var (sizes, mdat, _, _) = PackagingFixture.ReadSegment(bytes);
        var middle = sizes.Count / 2;
        var offset = bytes.Length - mdat.Length + (int)sizes.Take(middle).Sum(s => s) + (int)(sizes[middle] * 3 / 4);
        bytes[offset] ^= 0x01;
        return segment with { Bytes = bytes };
    }

    private static PackagedSegmentVerifier Verifier(SampleLedger ledger, string protection) =>
        new(ledger, _ => protection == "aes-128" ? SegmentKey : null);

    private static async Task<(List<PackagedObject> Objects, IReadOnlyList<PackagedTrack> Tracks, SampleLedger Ledger)> PackageAsync(string protection)
    {
        var ledger = new SampleLedger();
        var options = new PackagerOptions(1)
        {
            EncryptionFor = (_, _) => protection switch
            {
                "cenc" => new TrackEncryption(EncryptionScheme.Cenc, Kid, Key, [1, 2, 3, 4, 5, 6, 7, 8], []),
                "cbcs" => new TrackEncryption(EncryptionScheme.Cbcs, Kid, Key, new byte[16], []),
                "cbcs-clear-lead" => new TrackEncryption(EncryptionScheme.Cbcs, Kid, Key, new byte[16], []) { ClearLeadSeconds = 1 },
                _ => null,
            },
            WholeSegmentKeyFor = (_, _) => protection == "aes-128" ? SegmentKey : null,
        };
        var sink = await PackagingFixture.PackageAsync(PackagingFixture.Input, options, wrap: p => new DigestingDemuxHandler(p, ledger));
        Assert.True(sink.Objects.Count(o => o.Kind == PackagedKind.Segment) >= 4, "the fixture gives two tracks of two segments or more");
        return (sink.Objects, sink.Tracks, ledger);
    }
}
