using System.IO.Pipelines;
using System.Security.Cryptography;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Encryption;

namespace TranscodeFarm.Core.Tests.Packaging;

/// <summary>
/// Samples are lent by the demuxer (slices of a pooled mdat): a handler in front of the packager (say one that hashes
/// every sample) reads the clear bytes, and the packager, which encrypts its own copy, leaves them clear.
/// </summary>
public class SampleLendingTests
{
    [Fact]
    public async Task A_handler_before_an_encrypting_packager_reads_clear_samples_that_stay_clear()
    {
        var input = PackagingFixture.Input;
        var cenc = new TrackEncryption(EncryptionScheme.Cenc, Guid.NewGuid(), RandomNumberGenerator.GetBytes(16), new byte[8], []);
        var sink = new MemorySink();
        using var packager = new CmafPackager(new PackagerOptions(1) { EncryptionFor = (_, _) => cenc }, sink);
        var hashing = new HashingHandler(packager);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await new FragmentedMp4Demuxer().RunAsync(PipeReader.Create(PackagingFixture.Chunked(input, 997)), hashing, timeout.Token);
        await packager.CompleteAsync(timeout.Token);

        foreach (var trackId in new uint[] { 1, 2 })
        {
            var expected = PackagingFixture.InputSamples(input, trackId).Select(s => Convert.ToHexString(SHA256.HashData(s))).ToList();
            Assert.Equal(expected, hashing.Before[trackId]);
            Assert.Equal(expected, hashing.After[trackId]);
        }

        // ...while what was packaged is encrypted: every media segment carries senc.
        Assert.All(sink.Files.Where(f => f.Key.StartsWith("seg-", StringComparison.Ordinal)),
            f => Assert.NotNull(PackagingFixture.ReadSegment(f.Value).Traf.Child(FourCc.Senc)));
    }

    /// <summary>The decorator the issue describes: hashes each sample's clear bytes, then forwards.</summary>
    private sealed class HashingHandler(IDemuxHandler inner) : IDemuxHandler
    {
        public Dictionary<uint, List<string>> Before { get; } = [];

        public Dictionary<uint, List<string>> After { get; } = [];

        public ValueTask OnInitAsync(byte[] ftyp, Mp4Box moov, IReadOnlyList<TrackInfo> tracks, CancellationToken cancellationToken) =>
            inner.OnInitAsync(ftyp, moov, tracks, cancellationToken);

        public async ValueTask OnSamplesAsync(TrackInfo track, IReadOnlyList<Mp4Sample> samples, CancellationToken cancellationToken)
        {
            Hash(Before, track, samples);
            await inner.OnSamplesAsync(track, samples, cancellationToken);
            Hash(After, track, samples);
        }

        private static void Hash(Dictionary<uint, List<string>> into, TrackInfo track, IReadOnlyList<Mp4Sample> samples)
        {
            var list = into.TryGetValue(track.TrackId, out var l) ? l : into[track.TrackId] = [];
            list.AddRange(samples.Select(s => Convert.ToHexString(SHA256.HashData(s.Data.Span))));
        }
    }
}
