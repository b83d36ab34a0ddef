using System.Threading.Channels;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Database;
using TranscodeFarm.IntegrationTests.Infrastructure;
using TranscodeFarm.Queue;
using TranscodeFarm.Queue.Assets;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// The asset directory on SQLite and on a real PostgreSQL: what each change records, and that change seqs grow in commit
/// order, so an edge catching up with ChangesSince never misses a purge, a takedown or a re-publish.
/// </summary>
public abstract class AssetDirectoryTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    protected ManualTime Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected abstract Task<SqlJobQueue> CreateQueueAsync();

    /// <summary>The backfill statement the dialect's assets migration runs.</summary>
    protected abstract string BackfillSql { get; }

    [Fact]
    public async Task A_published_asset_reads_back_as_published()
    {
        var assets = new SqlAssetDirectory(await CreateQueueAsync(), Time);

        var published = await assets.PublishAsync("a1", 1, requireToken: true, default);

        Assert.Equal(new AssetRecord("a1", AssetState.Published, 1, published.ChangeSeq, Time.GetUtcNow(), true, null), published);
        Assert.True(published.ChangeSeq > 0);
        Assert.Equal(published, await assets.GetAsync("a1", default));
        Assert.Null(await assets.GetAsync("a2", default));
    }

    [Fact]
    public async Task Only_the_claim_that_holds_the_lease_can_publish_its_generation()
    {
        var queue = await CreateQueueAsync();
        var assets = new SqlAssetDirectory(queue, Time);
        var job = (await queue.SubmitAsync(Request("fenced"), default)).Job;
        var first = (await queue.ClaimAsync("w1", [], Lease, default))!;
        Assert.Equal(1, first.Generation);

        // w1's lease runs out by the database's clock; w2 takes the job over with the next generation.
        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Null(await assets.PublishAsync(job.Id, first.Generation, false, new LeaseFence(job.Id, "w1", first.Generation), default));
        var second = (await queue.ClaimAsync("w2", [], Lease, default))!;
        Assert.Equal(2, second.Generation);

        // The stale claim cannot publish, not even now that the job is running again; nor can w2 name an old generation.
        Assert.Null(await assets.PublishAsync(job.Id, first.Generation, false, new LeaseFence(job.Id, "w1", first.Generation), default));
        Assert.Null(await assets.PublishAsync(job.Id, first.Generation, false, new LeaseFence(job.Id, "w2", first.Generation), default));
        Assert.Null(await assets.GetAsync(job.Id, default));

        var published = await assets.PublishAsync(job.Id, second.Generation, false, new LeaseFence(job.Id, "w2", second.Generation), default);
        Assert.Equal((AssetState.Published, 2), (published!.State, published.Generation));

        // A released job is claimed again with a new generation: numbers are never reused.
        Assert.True(await queue.ReleaseAsync(job.Id, "w2", default));
        Assert.Equal(3, (await queue.ClaimAsync("w3", [], Lease, default))!.Generation);
    }

    [Fact]
    public async Task Republishing_moves_to_the_new_generation_with_a_new_seq()
    {
        var assets = new SqlAssetDirectory(await CreateQueueAsync(), Time);
        var first = await assets.PublishAsync("a1", 1, requireToken: true, default);
        Time.Advance(TimeSpan.FromMinutes(1));

        var second = await assets.PublishAsync("a1", 2, requireToken: false, default);

        Assert.True(second.ChangeSeq > first.ChangeSeq);
        Assert.Equal((AssetState.Published, 2, false, Time.GetUtcNow()), (second.State, second.Generation, second.RequireToken, second.ChangedAt));
        Assert.Equal(second, await assets.GetAsync("a1", default));
    }

    [Fact]
    public async Task Withdraw_delete_and_purge_each_take_a_new_seq_and_keep_the_generation()
    {
        var assets = new SqlAssetDirectory(await CreateQueueAsync(), Time);
        var published = await assets.PublishAsync("a1", 3, requireToken: true, default);

        Time.Advance(TimeSpan.FromSeconds(1));
        var withdrawn = await assets.WithdrawAsync("a1", "rejected: matches blocked/ref-1", default);
        Assert.Equal(new AssetRecord("a1", AssetState.Withdrawn, 3, withdrawn.ChangeSeq, Time.GetUtcNow(), true, "rejected: matches blocked/ref-1"), withdrawn);
        Assert.True(withdrawn.ChangeSeq > published.ChangeSeq);

        // A purge changes nothing but the seq (and when): every edge drops what it cached, the state stays.
        Time.Advance(TimeSpan.FromSeconds(1));
        var purged = await assets.PurgeAsync("a1", default);
        Assert.Equal(withdrawn with { ChangeSeq = purged!.ChangeSeq, ChangedAt = Time.GetUtcNow() }, purged);
        Assert.True(purged.ChangeSeq > withdrawn.ChangeSeq);

        var deleted = await assets.MarkDeletedAsync("a1", "deleted by an operator", default);
        Assert.Equal((AssetState.Deleted, 3, "deleted by an operator"), (deleted.State, deleted.Generation, deleted.Reason));
        Assert.True(deleted.ChangeSeq > purged.ChangeSeq);

        // Publishing again brings it back and clears the reason.
        var back = await assets.PublishAsync("a1", 4, requireToken: false, default);
        Assert.Equal((AssetState.Published, 4, (string?)null), (back.State, back.Generation, back.Reason));
        Assert.True(back.ChangeSeq > deleted.ChangeSeq);
    }

    [Fact]
    public async Task Withdrawing_or_deleting_an_unknown_asset_records_it_and_purging_one_does_nothing()
    {
        var assets = new SqlAssetDirectory(await CreateQueueAsync(), Time);

        // Rejected before anything was published: the row exists, so an edge that still has it cached drops it.
        var withdrawn = await assets.WithdrawAsync("never-published", "rejected", default);
        Assert.Equal((AssetState.Withdrawn, 0, "rejected"), (withdrawn.State, withdrawn.Generation, withdrawn.Reason));
        var deleted = await assets.MarkDeletedAsync("gone", "deleted", default);
        Assert.Equal((AssetState.Deleted, 0), (deleted.State, deleted.Generation));

        Assert.Null(await assets.PurgeAsync("unknown", default));
        Assert.Null(await assets.GetAsync("unknown", default));
        Assert.Equal([withdrawn, deleted], await assets.ChangesSinceAsync(0, 10, default));
    }

    [Fact]
    public async Task ChangesSince_returns_each_asset_changed_later_once_in_seq_order_and_List_filters_by_state()
    {
        var assets = new SqlAssetDirectory(await CreateQueueAsync(), Time);
        var a = await assets.PublishAsync("a", 1, false, default);
        var b = await assets.PublishAsync("b", 1, false, default);
        var c = await assets.WithdrawAsync("c", "rejected", default);
        var a2 = await assets.PurgeAsync("a", default);

        Assert.Equal([b, c, a2!], await assets.ChangesSinceAsync(0, 10, default));
        Assert.Equal([c, a2!], await assets.ChangesSinceAsync(b.ChangeSeq, 10, default));
        Assert.Equal([c], await assets.ChangesSinceAsync(b.ChangeSeq, 1, default));
        Assert.Empty(await assets.ChangesSinceAsync(a2!.ChangeSeq, 10, default));
        Assert.True(a2.ChangeSeq > a.ChangeSeq);

        Assert.Equal([a2, b], await assets.ListAsync(AssetState.Published, 10, default));
        Assert.Equal([c], await assets.ListAsync(AssetState.Withdrawn, 10, default));
        Assert.Empty(await assets.ListAsync(AssetState.Deleted, 10, default));
        Assert.Equal([a2, c], await assets.ListAsync(null, 2, default));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("a b")]
    [InlineData("a/")]
    [InlineData("caf\u00e9")]
    public async Task Asset_ids_that_are_not_one_object_key_segment_are_refused(string assetId)
    {
        var assets = new SqlAssetDirectory(await CreateQueueAsync(), Time);

        await Assert.ThrowsAsync<ArgumentException>(() => assets.PublishAsync(assetId, 1, false, default));
        await Assert.ThrowsAsync<ArgumentException>(() => assets.WithdrawAsync(assetId, "r", default));
        await Assert.ThrowsAsync<ArgumentException>(() => assets.MarkDeletedAsync(assetId, "r", default));
        await Assert.ThrowsAsync<ArgumentException>(() => assets.PurgeAsync(assetId, default));
        await Assert.ThrowsAsync<ArgumentException>(() => assets.GetAsync(assetId, default));
    }

    [Fact]
    public async Task Generations_start_at_one_and_a_change_needs_a_reason()
    {
        var assets = new SqlAssetDirectory(await CreateQueueAsync(), Time);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => assets.PublishAsync("a", 0, false, default));
        await Assert.ThrowsAsync<ArgumentException>(() => assets.WithdrawAsync("a", " ", default));
        Assert.Empty(await assets.ListAsync(null, 10, default));
    }

    [Fact]
    public async Task Concurrent_changes_take_distinct_seqs_that_a_polling_reader_sees_without_a_gap()
    {
        const int Writers = 4, ChangesEach = 25;
        var queue = await CreateQueueAsync();
        var reader = new SqlAssetDirectory(queue, Time);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var assets = new SqlAssetDirectory(queue, Time);
            var seqs = new List<long>();
            for (var k = 0; k < ChangesEach; k++)
            {
                var id = $"w{w}-{k}";
                var change = (k % 3) switch
                {
                    0 => await assets.PublishAsync(id, 1, false, timeout.Token),
                    1 => await assets.WithdrawAsync(id, "rejected", timeout.Token),
                    _ => await assets.MarkDeletedAsync(id, "deleted", timeout.Token),
                };
                seqs.Add(change.ChangeSeq);
            }

            return seqs;
        })).ToArray();

        // Each batch must start right after the last seq seen: a seq that committed after a larger one would be skipped.
        var seen = new List<long>();
        while (seen.Count < Writers * ChangesEach)
        {
            var batch = await reader.ChangesSinceAsync(seen.LastOrDefault(), 7, timeout.Token);
            if (batch.Count == 0 && writers.Any(w => w.IsFaulted))
            {
                break; // WhenAll below says why
            }

            var expected = Enumerable.Range(0, batch.Count).Select(i => seen.LastOrDefault() + 1 + i);
            Assert.Equal(expected, batch.Select(r => r.ChangeSeq));
            seen.AddRange(batch.Select(r => r.ChangeSeq));
        }

        var written = await Task.WhenAll(writers);
        Assert.Equal(Enumerable.Range(1, Writers * ChangesEach).Select(i => (long)i), seen);
        Assert.Equal(seen, written.SelectMany(s => s).Order());
        Assert.All(written, seqs => Assert.Equal(seqs.Order(), seqs));
    }

    [Fact]
    public async Task Backfill_publishes_the_assets_of_succeeded_jobs_once_at_their_attempt_and_skips_aliases()
    {
        var queue = await CreateQueueAsync();
        var assets = new SqlAssetDirectory(queue, Time);
        var once = await RunJobAsync(queue, "once", job => Outputs(job.Id));
        var retried = await RunJobAsync(queue, "retried", job => Outputs(job.Id), failuresFirst: 1);
        await RunJobAsync(queue, "alias", _ => Outputs(once.Id) with { AliasOf = once.Id });
        await RunJobAsync(queue, "alias-of-itself", job => Outputs(job.Id) with { AliasOf = "other" });
        var rejected = await RunJobAsync(queue, "rejected", job => Outputs(job.Id));
        var failed = (await queue.SubmitAsync(Request("failed"), default)).Job;
        await queue.ClaimAsync("w", [], Lease, default);
        await queue.FailAsync(failed.Id, "w", "bad source", retryable: false, default);
        await queue.SubmitAsync(Request("queued"), default);
        // Recorded before the backfill ran: the backfill must not publish it again.
        var withdrawn = await assets.WithdrawAsync(rejected.Id, "rejected", default);

        Assert.Equal(2, await RunBackfillAsync(queue));
        Assert.Equal(0, await RunBackfillAsync(queue));

        var all = await assets.ChangesSinceAsync(0, 100, default);
        Assert.Equal(
            [
                withdrawn,
                new AssetRecord(once.Id, AssetState.Published, 1, withdrawn.ChangeSeq + 1, once.UpdatedAt, false, null),
                new AssetRecord(retried.Id, AssetState.Published, 2, withdrawn.ChangeSeq + 2, retried.UpdatedAt, false, null),
            ],
            all);
    }

    /// <summary>Submits, claims and completes a job with the outputs <paramref name="outputs"/> makes, failing it first
    /// <paramref name="failuresFirst"/> times; each job finishes a minute after the one before.</summary>
    private async Task<JobRecord> RunJobAsync(SqlJobQueue queue, string hash, Func<JobRecord, JobOutputs> outputs, int failuresFirst = 0)
    {
        var job = (await queue.SubmitAsync(Request(hash), default)).Job;
        for (var i = 0; i < failuresFirst; i++)
        {
            Assert.Equal(job.Id, (await queue.ClaimAsync("w", [], Lease, default))!.Id);
            await queue.FailAsync(job.Id, "w", "transient", retryable: true, default);
            Time.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal(job.Id, (await queue.ClaimAsync("w", [], Lease, default))!.Id);
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await queue.CompleteAsync(job.Id, "w", outputs(job), default));
        return (await queue.GetAsync(job.Id, default))!;
    }

    private async Task<int> RunBackfillAsync(SqlJobQueue queue)
    {
        await using var db = await queue.Database.OpenAsync(default);
        await using var cmd = FarmDatabase.Command(db, null, BackfillSql);
        return await cmd.ExecuteNonQueryAsync();
    }

    private static JobRequest Request(string hash) => new()
    {
        SourcePath = $"/src/{hash}.mp4", SourceName = $"{hash}.mp4", ContentHash = hash, Profile = "p", Origin = JobOrigin.Submit,
    };

    private static JobOutputs Outputs(string assetId) =>
        new(assetId, $"/vod/{assetId}/master.m3u8", $"/vod/{assetId}/manifest.mpd", [new RenditionSummary("360p", "video", 640, 360, 800, "h264")], 10, 12, 4096);
}

public sealed class SqliteAssetDirectoryTests : AssetDirectoryTests
{
    protected override Task<SqlJobQueue> CreateQueueAsync() =>
        Task.FromResult<SqlJobQueue>(new SqliteJobQueue(Path.Combine(Directory.CreateTempSubdirectory("tf-assets-").FullName, "queue.db"), QueueClock.From(Time), new QueueOptions()));

    protected override string BackfillSql => SqliteSchema.AssetsBackfill;

    [Fact]
    public async Task Nothing_is_announced_but_listeners_are_told_to_catch_up_once()
    {
        var caughtUp = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            NoAssetChangeNotifications.Instance.ListenAsync(_ => Assert.Fail("SQLite announced a change"), () => caughtUp++, cts.Token));
        Assert.Equal(1, caughtUp);
    }
}

public sealed class PostgresAssetDirectoryTests : AssetDirectoryTests
{
    protected override async Task<SqlJobQueue> CreateQueueAsync() => await TestPostgres.CreateQueueAsync(Time, new QueueOptions());

    protected override string BackfillSql => PostgresSchema.AssetsBackfill;

    [Fact]
    public async Task Every_committed_change_is_announced_to_listeners_on_other_connections_with_its_asset_id()
    {
        var queue = await CreateQueueAsync();
        var assets = new SqlAssetDirectory(queue, Time);
        var changed = Channel.CreateUnbounded<string>();
        var listening = new SemaphoreSlim(0);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var listen = new PostgresAssetNotifications(queue.Database).ListenAsync(id => changed.Writer.TryWrite(id), () => listening.Release(), cts.Token);
        Assert.True(await listening.WaitAsync(TimeSpan.FromSeconds(10)), "LISTEN never started");

        await assets.PublishAsync("asset-1", 1, false, default);
        await assets.PurgeAsync("asset-1", default);
        Assert.Null(await assets.PurgeAsync("no-such-asset", default)); // no change, no announcement
        await assets.WithdrawAsync("asset-2", "rejected", default);
        await assets.MarkDeletedAsync("asset-1", "deleted", default);

        var received = new List<string>();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (received.Count < 4)
        {
            received.Add(await changed.Reader.ReadAsync(wait.Token));
        }

        Assert.Equal(["asset-1", "asset-1", "asset-2", "asset-1"], received);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listen);
    }
}
