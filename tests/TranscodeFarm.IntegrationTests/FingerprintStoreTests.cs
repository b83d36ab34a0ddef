using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.IntegrationTests.Infrastructure;
using TranscodeFarm.Queue;
using TranscodeFarm.Catalog;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// Fingerprints in the job database, on SQLite and on a real PostgreSQL: two catalogs on one database stand for two hosts,
/// and each sees what the other stores or removes.
/// </summary>
public abstract class FingerprintStoreTests
{
    protected ManualTime Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected abstract Task<SqlJobQueue> CreateQueueAsync();

    /// <summary>Frames that change every second, so excerpts have a unique place; audio of random words.</summary>
    private static (VideoFingerprint Video, AudioFingerprint Audio) Content(int seed, double seconds)
    {
        var rng = new Random(seed);
        var hashes = Enumerable.Range(0, (int)seconds + 1).Select(_ => RandomHash(rng)).ToArray();
        var video = new VideoFingerprint(Enumerable.Range(0, (int)(seconds * 2)).Select(i => new FingerprintFrame(i * 0.5, hashes[i / 2], 80)));
        var audio = new AudioFingerprint(Enumerable.Range(0, (int)(seconds / AudioFingerprint.ChromaprintItemSeconds)).Select(_ => (uint)rng.NextInt64(1L << 32)).ToArray());
        return (video, audio);
    }

    private static Hash256 RandomHash(Random rng)
    {
        var bytes = new byte[32];
        rng.NextBytes(bytes);
        return Hash256.ReadLittleEndian(bytes);
    }

    [Fact]
    public async Task Stored_fingerprints_round_trip_and_every_host_catches_up_with_adds_and_removes()
    {
        var queue = await CreateQueueAsync();
        var storeA = new SqlFingerprintStore(queue.Database, Time);
        using var hostA = new FingerprintCatalog(storeA);
        using var hostB = new FingerprintCatalog(new SqlFingerprintStore(queue.Database, Time));
        var (video, audio) = Content(1, 60);

        await hostA.AddAsync(FingerprintCollections.Assets, "j-one", "one.mp4", 60, video, audio, default);
        var stored = await storeA.GetAsync(FingerprintCollections.Assets, "j-one", default);
        Assert.NotNull(stored);
        Assert.Equal(video.Frames, stored.Video!.Frames);
        Assert.Equal(audio.Items.ToArray(), stored.Audio!.Items.ToArray());
        Assert.Equal(60, stored.DurationSeconds);

        // A row with nothing to match on (a silent black clip) is stored and listed, and does not stop any index loading.
        await hostA.AddAsync("blocked", "ref-empty", "black.mp4", 5, VideoFingerprint.Empty, null, default);

        // Host B never saw the adds: its next query catches up and finds a 10 s excerpt from 20 s.
        var excerpt = video.Slice(20, 30).Shift(-20);
        var found = Assert.Single(await hostB.MatchAsync(excerpt, null, 10, null, 5, 0.8, default));
        Assert.Equal(("assets", "j-one", MatchKinds.Excerpt), (found.Collection, found.EntryId, found.Kind));
        Assert.InRange(found.OffsetSeconds, 19.5, 20.5);

        // A reference collection: matches of it are "reference", whatever their coverage.
        await hostB.AddAsync("blocked", "ref-1", "leak.mp4", 60, video, null, default);
        var both = await hostA.MatchAsync(video, null, 60, null, 5, 0.8, default);
        Assert.Equal([MatchKinds.Duplicate, MatchKinds.Reference], both.Select(m => m.Kind).Order());

        // Removed on one host, gone on the other; excluding an entry leaves it out.
        Assert.True(await hostB.RemoveAsync("blocked", "ref-1", default));
        Assert.True(await hostB.RemoveAsync("blocked", "ref-empty", default));
        Assert.Single(await hostA.MatchAsync(video, null, 60, null, 5, 0.8, default));
        Assert.Empty(await hostA.MatchAsync(video, null, 60, FingerprintCollections.Key("assets", "j-one"), 5, 0.8, default));

        // Replaced (a retried job): the new row wins everywhere.
        var (other, _) = Content(2, 30);
        await hostA.AddAsync(FingerprintCollections.Assets, "j-one", "one.mp4", 30, other, null, default);
        Assert.Empty(await hostB.MatchAsync(excerpt, null, 10, null, 5, 0.8, default));
        Assert.Single(await hostB.MatchAsync(other, null, 30, null, 5, 0.8, default));
        Assert.Equal(1, hostB.Count);

        var listed = Assert.Single(await storeA.ListAsync(null, 10, default));
        Assert.Equal((60, 0), (listed.VideoFrames, listed.AudioItems));
    }

    [Fact]
    public async Task Audio_only_content_is_matched_by_its_sound()
    {
        var queue = await CreateQueueAsync();
        using var catalog = new FingerprintCatalog(new SqlFingerprintStore(queue.Database, Time));
        var (video, audio) = Content(3, 40);
        await catalog.AddAsync(FingerprintCollections.Assets, "j-song", "song.mp4", 40, video, audio, default);

        var words = audio.Items.ToArray();
        var excerpt = new AudioFingerprint(words.AsSpan(100, 100)); // ~12 s from 12.4 s
        var found = Assert.Single(await catalog.MatchAsync(null, excerpt, 12.4, null, 5, 0.8, default));
        Assert.Equal("audio", found.Source);
        Assert.InRange(found.OffsetSeconds, 12.1, 12.7);
    }
}

public sealed class SqliteFingerprintStoreTests : FingerprintStoreTests
{
    protected override Task<SqlJobQueue> CreateQueueAsync() =>
        Task.FromResult<SqlJobQueue>(new SqliteJobQueue(Path.Combine(Directory.CreateTempSubdirectory("transcodefarm-fpdb-").FullName, "queue.db"), QueueClock.From(Time), new QueueOptions()));
}

public sealed class PostgresFingerprintStoreTests : FingerprintStoreTests
{
    protected override async Task<SqlJobQueue> CreateQueueAsync() => await TestPostgres.CreateQueueAsync(Time, new QueueOptions());
}
