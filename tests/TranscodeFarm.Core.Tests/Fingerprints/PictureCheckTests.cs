using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

/// <summary>What the picture says where the sound matched (issue 17): supports, contradicts, or no verdict.</summary>
public sealed class PictureCheckTests
{
    private static readonly FingerprintIndexOptions Options = new();

    [Theory]
    [InlineData(new[] { 3, 10, 20, 31, 12, 8 }, PictureEvidence.Supports)]
    [InlineData(new[] { 120, 130, 110, 128, 140, 99, 125 }, PictureEvidence.Contradicts)]
    [InlineData(new[] { 40, 55, 62, 33, 48, 51 }, PictureEvidence.Unknown)]          // a 10% crop: neither alike nor other
    [InlineData(new[] { 120, 130, 110 }, PictureEvidence.Unknown)]                   // too few frames for any verdict
    [InlineData(new[] { 5, 120, 130, 110, 128, 140 }, PictureEvidence.Contradicts)]  // one chance near frame in six
    [InlineData(new[] { 5, 6, 120, 130, 110, 128, 140 }, PictureEvidence.Unknown)]   // two in seven: not clearly other
    [InlineData(new[] { 5, 6, 120, 130, 110, 128, 140, 99, 125, 111, 117 }, PictureEvidence.Contradicts)]  // two in eleven
    public void Verdict_from_the_aligned_distances(int[] distances, PictureEvidence expected) =>
        Assert.Equal(expected, PictureCheck.Verdict(distances, Options));

    [Fact]
    public void A_picture_that_changes_completely_every_frame_cannot_contradict()
    {
        var rng = new Random(2);
        var noise = new VideoFingerprint(Enumerable.Range(0, 30).Select(i => new FingerprintFrame(i * 0.5, Synthetic.RandomHash(rng), 90)));
        var other = new VideoFingerprint(Enumerable.Range(0, 30).Select(i => new FingerprintFrame(i * 0.5, Synthetic.RandomHash(rng), 90)));

        Assert.Equal(PictureEvidence.Unknown, PictureCheck.Judge(other.Frames, noise, 0));
        Assert.Equal(PictureEvidence.Supports, PictureCheck.Judge(noise.Frames, noise, 0));
    }

    [Fact]
    public void A_mirrored_query_supports_through_its_mirrored_hashes()
    {
        var rng = new Random(1);
        var scenes = Enumerable.Range(0, 5).Select(_ => Synthetic.RandomHash(rng)).ToArray();
        var usable = Enumerable.Range(0, 20).Select(i => new FingerprintFrame(i * 0.5, scenes[i / 4], 90)).ToList(); // 2-s shots
        var reference = new VideoFingerprint(usable);
        // A flipped copy: its own hashes are far from the asset's, its mirrored ones are the asset's.
        var unrelated = Enumerable.Range(0, 5).Select(_ => Synthetic.RandomHash(rng)).ToArray();
        var flipped = new VideoFingerprint(usable.Select((f, i) => f with { Hash = unrelated[i / 4], MirroredHash = f.Hash }));

        Assert.Equal(PictureEvidence.Supports, PictureCheck.Judge(flipped.Frames, reference, 0));
        Assert.Equal(PictureEvidence.Contradicts, PictureCheck.Judge(flipped.Frames.Select(f => f with { MirroredHash = default }).ToList(), reference, 0));
        Assert.Equal(PictureEvidence.Unknown, PictureCheck.Judge(flipped.Frames, VideoFingerprint.Empty, 0));
    }
}
