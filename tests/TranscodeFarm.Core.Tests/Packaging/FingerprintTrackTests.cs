using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Packaging;

namespace TranscodeFarm.Core.Tests.Packaging;

/// <summary>
/// The encode's fingerprint side channel, on a fixture ffmpeg made with the farm's arguments (2 s of 128x96 H.264, AAC,
/// and the PNG track of 64x64 gray frames at 2 fps mapped last). Next to it, the same source's frames as the standalone
/// `transcodefarm fingerprint` pass gets them (rawvideo), to prove both ways give the same hashes.
/// </summary>
public class FingerprintTrackTests
{
    private static byte[] Input => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "ladder-fingerprint.mp4"));

    [Fact]
    public async Task The_png_track_is_hashed_never_packaged_and_rendition_ids_stay()
    {
        var result = await PackagingFixture.PackageAsync(Input, new PackagerOptions(1) { TrackNames = ["96p", "aac"] });
        Assert.Equal(["0", "1"], result.Tracks.Select(t => t.Id));
        Assert.Equal(["96p", "aac"], result.Tracks.Select(t => t.Name));
        Assert.DoesNotContain(result.Files.Keys, f => f.Contains("-2", StringComparison.Ordinal));

        var fingerprint = Assert.IsType<VideoFingerprint>(result.Fingerprint);
        Assert.Equal([0, 0.5, 1, 1.5], fingerprint.Frames.Select(f => f.TimeSeconds));
        Assert.All(fingerprint.Frames, f => Assert.True(f.IsUsable, $"quality {f.Quality}"));
    }

    [Fact]
    public async Task Frames_hash_exactly_as_the_standalone_pass_hashes_the_same_source()
    {
        var result = await PackagingFixture.PackageAsync(Input, new PackagerOptions(1));
        var raw = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "ladder-fingerprint-frames.gray"));
        const int size = FingerprintArguments.FrameSize * FingerprintArguments.FrameSize;
        var standalone = Enumerable.Range(0, raw.Length / size)
            .Select(i => FrameHash.Compute(raw.AsSpan(i * size, size), FingerprintArguments.FrameSize, FingerprintArguments.FrameSize).Hash)
            .ToList();
        Assert.Equal(standalone, result.Fingerprint!.Frames.Select(f => f.Hash));
    }

    [Fact]
    public async Task Without_a_png_track_there_is_no_fingerprint()
    {
        var result = await PackagingFixture.PackageAsync(PackagingFixture.Input, new PackagerOptions(1));
        Assert.Null(result.Fingerprint);
    }
}
