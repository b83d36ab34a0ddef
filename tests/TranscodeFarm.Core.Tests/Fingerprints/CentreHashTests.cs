using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

/// <summary>Crop-robust picture (issue 17): the hash of a frame's zoomed centre, stored (binary v2) and indexed as a second view.</summary>
public sealed class CentreHashTests
{
    [Fact]
    public void A_ten_percent_crop_hashes_like_the_originals_centre_and_unlike_its_whole_frame()
    {
        for (var seed = 1; seed <= 8; seed++)
        {
            // What the extractor hands over: 64×64 frames of the original and of the copy cropped 5% a side.
            var image = GrayImage.Procedural(seed, 640, 360);
            var original = image.Hash(64, 64);
            var cropped = image.Crop(0.05, 0.05, 0.05, 0.05).Hash(64, 64);

            Assert.True(cropped.Hash.DistanceTo(original.Centre) <= 20, $"seed {seed}: crop vs centre {cropped.Hash.DistanceTo(original.Centre)} bits");
            Assert.True(cropped.Hash.DistanceTo(original.Centre) < cropped.Hash.DistanceTo(original.Hash), $"seed {seed}: the centre is closer than the whole frame");
            Assert.True(original.Centre.DistanceTo(GrayImage.Procedural(seed + 100, 640, 360).Hash(64, 64).Hash) >= 70, $"seed {seed}: another picture stays far");
        }
    }

    [Fact]
    public void Version_2_stores_the_centre_hash_and_version_1_rows_still_read_without_it()
    {
        var rng = new Random(5);
        var fingerprint = new VideoFingerprint(Synthetic.Fingerprint(rng, 10).Frames.Select(f => f with { CentreHash = Synthetic.RandomHash(rng) }));
        var bytes = fingerprint.ToBytes();

        Assert.Equal(2, VideoFingerprintBinary.VersionOf(bytes));
        Assert.Equal(fingerprint.Frames, VideoFingerprint.FromBytes(bytes).Frames);
        Assert.True(VideoFingerprint.FromBytes(bytes).HasCentreHashes);

        // A version-1 row as written before issue 17: 37 bytes a frame, no centre hash.
        var v1 = new byte[VideoFingerprintBinary.HeaderLength + (fingerprint.Count * 37)];
        bytes.AsSpan(0, VideoFingerprintBinary.HeaderLength).CopyTo(v1);
        v1[4] = 1;
        for (var i = 0; i < fingerprint.Count; i++)
        {
            bytes.AsSpan(VideoFingerprintBinary.HeaderLength + (i * VideoFingerprintBinary.FrameLength), 37).CopyTo(v1.AsSpan(VideoFingerprintBinary.HeaderLength + (i * 37)));
        }

        var old = VideoFingerprint.FromBytes(v1);
        Assert.Equal(1, VideoFingerprintBinary.VersionOf(v1));
        Assert.False(old.HasCentreHashes);
        Assert.Equal(fingerprint.Frames.Select(f => f.Hash), old.Frames.Select(f => f.Hash));
        Assert.Throws<FormatException>(() => VideoFingerprint.FromBytes(v1[..^1]));
    }

    [Fact]
    public void Json_carries_the_centre_hash_and_reads_version_1()
    {
        var rng = new Random(6);
        var fingerprint = new VideoFingerprint(Synthetic.Fingerprint(rng, 4).Frames.Select(f => f with { CentreHash = Synthetic.RandomHash(rng) }));

        Assert.Equal(fingerprint.Frames, fingerprint.ToJson().ToFingerprint().Frames);
        var v1 = fingerprint.ToJson() with { Version = 1, Frames = fingerprint.ToJson().Frames.Select(f => f with { C = null }).ToArray() };
        Assert.False(v1.ToFingerprint().HasCentreHashes);
    }

    [Fact]
    public void The_index_finds_a_cropped_copy_through_the_assets_centre_view_and_a_v1_asset_does_not()
    {
        var rng = new Random(7);
        var scenes = Synthetic.Scenes(rng, 120);
        var film = Synthetic.Sample(scenes, rng, 0, 120, Synthetic.Interval, jitterBits: 0);
        // The film's centre hashes: unrelated to its whole-frame hashes, as for a 10% crop.
        var centres = film.Frames.Select(_ => Synthetic.RandomHash(rng)).ToArray();
        var withCentres = new VideoFingerprint(film.Frames.Select((f, i) => f with { CentreHash = centres[i] }));
        using var index = new FingerprintIndex();
        using var oldIndex = new FingerprintIndex();
        index.Add("film", withCentres);
        oldIndex.Add("film", film);
        for (var i = 0; i < 20; i++)
        {
            var other = Synthetic.Sample(Synthetic.Scenes(rng, 120), rng, 0, 120, Synthetic.Interval, 0);
            index.Add($"other{i}", new VideoFingerprint(other.Frames.Select(f => f with { CentreHash = Synthetic.RandomHash(rng) })));
            oldIndex.Add($"other{i}", other);
        }

        // The cropped copy's whole-frame hashes are the film's centre hashes (plus noise), from 30 s for 20 s.
        var cropped = new VideoFingerprint(film.Frames
            .Select((f, i) => (Frame: f, Centre: centres[i]))
            .Where(p => p.Frame.TimeSeconds is >= 30 and < 50)
            .Select(p => new FingerprintFrame(p.Frame.TimeSeconds - 30, Synthetic.Flip(p.Centre, rng, 10), p.Frame.Quality)));

        var match = Assert.Single(index.Query(cropped));
        Assert.Equal("film", match.AssetId);
        Assert.InRange(match.OffsetSeconds, 29.5, 30.5);
        Assert.Equal(PictureEvidence.Supports, index.PictureAt("film", cropped, 30));
        Assert.Empty(oldIndex.Query(cropped));
        Assert.Equal(PictureEvidence.Contradicts, oldIndex.PictureAt("film", cropped, 30));

        Assert.True(index.Remove("film"));
        Assert.Empty(index.Query(cropped));
        Assert.Equal(20, index.AssetCount);
    }
}
