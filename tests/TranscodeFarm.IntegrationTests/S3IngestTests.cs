using System.Security.Cryptography;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.IntegrationTests.Infrastructure;
using TranscodeFarm.Queue;
using TranscodeFarm.Storage;
using TranscodeFarm.Worker;
using TranscodeFarm.Worker.Ingest;
using TranscodeFarm.Worker.Jobs;
using TranscodeFarm.Worker.Maintenance;

namespace TranscodeFarm.IntegrationTests;

/// <summary>An S3 prefix as a drop location, scanned by two worker processes at once.</summary>
public sealed class S3IngestTests
{
    [Fact]
    public async Task Two_workers_scanning_one_prefix_process_each_object_exactly_once()
    {
        using var bucket = await TestS3.NewBucketAsync();
        var name = bucket.Describe.Split('/')[2];
        for (var i = 0; i < 10; i++)
        {
            await bucket.Client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = name,
                Key = $"incoming/clip {i} – été.mp4",
                FilePath = await TestMedia.ClipAsync(96, 64, 1, audio: false, extra: $"-metadata comment=s3ingest{i}"),
            });
        }

        await bucket.Client.PutObjectAsync(new PutObjectRequest { BucketName = name, Key = "incoming/not a video.mp4", ContentBody = "hello" });

        var data = Directory.CreateTempSubdirectory("tf-s3ingest-").FullName;
        var env = TestS3.FarmEnvironment(name);
        env["TRANSCODEFARM__Ingest__S3Url"] = $"s3://{name}/incoming/";
        env["TRANSCODEFARM__Ingest__S3ScanInterval"] = "00:00:00.300";
        env["TRANSCODEFARM__Ingest__StableFor"] = "00:00:00";
        await using var a = new FarmProcess(data);
        await using var b = new FarmProcess(data);
        await Task.WhenAll(a.StartAsync(env, workerOnly: true), b.StartAsync(env, workerOnly: true));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<JobRecord> jobs = [];
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            jobs = await a.Queue.ListAsync(null, 100, default);
            if (jobs.Count == 11 && jobs.All(j => j.State.IsTerminal()))
            {
                break;
            }

            await Task.Delay(300);
        }

        Assert.Equal(11, jobs.Count);
        Assert.Equal(10, jobs.Count(j => j.State == JobState.Succeeded));
        var bad = Assert.Single(jobs, j => j.State == JobState.Failed);
        Assert.Equal("not a video.mp4", bad.SourceName);
        foreach (var job in jobs)
        {
            Assert.Single(await a.Queue.EventsAsync(job.Id, default), e => e.State == "running"); // started once, by one worker
        }

        // Give the last settlement a moment, then look at the bucket: everything moved out of incoming/.
        await Task.Delay(1000);
        var keys = (await bucket.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = name, Prefix = "incoming/" })).S3Objects.Select(o => o.Key).ToList();
        Assert.Equal(10, keys.Count(k => k.StartsWith("incoming/done/clip ", StringComparison.Ordinal)));
        Assert.Contains("incoming/failed/not a video.mp4", keys);
        Assert.Contains("incoming/failed/not a video.mp4.error.json", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("incoming/.processing/", StringComparison.Ordinal));
        Assert.DoesNotContain(keys, k => k.Count(c => c == '/') == 1); // nothing left directly under incoming/
        using var report = await bucket.Client.GetObjectAsync(name, "incoming/failed/not a video.mp4.error.json");
        Assert.Contains("could not read the file as media", await new StreamReader(report.ResponseStream).ReadToEndAsync());
    }

    [Fact]
    public async Task A_worker_without_Ingest_S3Url_fetches_and_settles_an_S3_ingest_job_with_its_store_s_endpoint()
    {
        using var bucket = await TestS3.NewBucketAsync();
        var name = bucket.Describe.Split('/')[2];
        const string claimed = "incoming/.processing/0123456789abcdef/clip.mp4"; // as the scanner of another host left it
        await bucket.Client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = name, Key = claimed, FilePath = await TestMedia.ClipAsync(96, 64, 1, audio: false, extra: "-metadata comment=s3derived"),
        });

        await using var worker = new FarmProcess();
        await worker.StartAsync(TestS3.FarmEnvironment(name), workerOnly: true);
        var job = (await worker.Queue.SubmitAsync(new JobRequest
        {
            SourcePath = $"s3://{name}/{claimed}", SourceName = "clip.mp4", ContentHash = "s3derived", Profile = "test-tiny", Origin = JobOrigin.S3Prefix,
        }, default)).Job;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!(await worker.Queue.GetAsync(job.Id, default))!.State.IsTerminal())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), worker.Output);
            await Task.Delay(300);
        }

        var done = (await worker.Queue.GetAsync(job.Id, default))!;
        Assert.True(done.State == JobState.Succeeded, done.Error + "\n" + worker.Output);
        await Task.Delay(1000);
        var keys = (await bucket.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = name, Prefix = "incoming/" })).S3Objects.Select(o => o.Key).ToList();
        Assert.Equal(["incoming/done/clip.mp4"], keys);
    }

    [Fact]
    public async Task One_failing_object_is_reported_the_scan_goes_on_and_duplicates_are_found_by_content()
    {
        using var bucket = await TestS3.NewBucketAsync();
        var name = bucket.Describe.Split('/')[2];
        var big = RandomNumberGenerator.GetBytes(12 * 1024 * 1024 + 99);
        var clip = await File.ReadAllBytesAsync(await TestMedia.ClipAsync(96, 64, 1, audio: false, extra: "-metadata comment=s3perobject"));
        // Listed in this order: the failing object comes first, so everything after it shows the scan went on.
        await bucket.Client.PutObjectAsync(new PutObjectRequest { BucketName = name, Key = "incoming/a poison.mp4", InputStream = new MemoryStream(clip[..1000]) });
        await bucket.Client.PutObjectAsync(new PutObjectRequest { BucketName = name, Key = "incoming/big one.bin", InputStream = new MemoryStream(big) });
        // The same bytes as a multipart upload: another ETag ("…-3"), the same content.
        using (var multipart = new S3ObjectStore(TestS3.Options(name, multipartThreshold: 5L * 1024 * 1024)))
        {
            await multipart.PutAsync("incoming/big-two.bin", new MemoryStream(big), new ObjectProperties("application/octet-stream", "no-store"), default);
        }

        await bucket.Client.PutObjectAsync(new PutObjectRequest { BucketName = name, Key = "incoming/z after.mp4", InputStream = new MemoryStream(clip) });

        // The ingest store as the farm builds it (any keys, retries), with copies in parts above 5 MiB and one object's
        // claim failing for good.
        var store = new FailingClaims(new ResilientObjectStore(new S3ObjectStore(S3ObjectStoreTests.SmallCopyParts(name, anyKeys: true)), 2, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50)), "incoming/a poison.mp4");
        var queue = new SqliteJobQueue(Path.Combine(Directory.CreateTempSubdirectory("tf-s3scan-").FullName, "queue.db"), QueueClock.Database, new QueueOptions());
        await queue.Database.EnsureSchemaAsync(true, default);
        var importer = new SourceImporter(queue, ProfileCatalog.Load(Path.Combine(AppContext.BaseDirectory, "ffmpeg-profiles")));
        var scan = new ScanS3IngestJob(
            new S3Ingest(new S3IngestLocation(store, name, "incoming/")),
            new IngestSubmitter(queue, importer, new JobSignal(), Options.Create(new WorkerOptions()), NullLogger<IngestSubmitter>.Instance),
            Options.Create(new FarmOptions { DefaultProfile = "test-tiny" }),
            Options.Create(new IngestOptions { StableFor = TimeSpan.Zero }),
            TimeProvider.System,
            NullLogger<ScanS3IngestJob>.Instance);
        await scan.Execute(null!, default);

        var jobs = await queue.ListAsync(null, 100, default);
        Assert.Equal(["big one.bin", "z after.mp4"], jobs.Select(j => j.SourceName).Order());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(big)) + ":test-tiny", jobs.Single(j => j.SourceName == "big one.bin").IdempotencyKey);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(clip)) + ":test-tiny", jobs.Single(j => j.SourceName == "z after.mp4").IdempotencyKey);

        var keys = (await bucket.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = name, Prefix = "incoming/" })).S3Objects.ToDictionary(o => o.Key, o => o.ETag);
        Assert.Contains("incoming/failed/a poison.mp4", keys.Keys);
        using (var report = await bucket.Client.GetObjectAsync(name, "incoming/failed/a poison.mp4.error.json"))
        {
            Assert.Contains("ingest failed:", await new StreamReader(report.ResponseStream).ReadToEndAsync(), StringComparison.Ordinal);
        }

        // What the console's drop page lists for the prefix: the report, with its object still beside it.
        var failed = Assert.Single(await new S3IngestLocation(store, name, "incoming/").FailedReportsAsync(10, 64 * 1024, default));
        Assert.Equal(("a poison.mp4", true), (failed.Name, failed.SourcePresent));
        Assert.Contains("ingest failed:", failed.Text, StringComparison.Ordinal);

        Assert.Contains("incoming/done/big-two.bin", keys.Keys); // a duplicate by content, though its ETag differs
        var claimed = Assert.Single(keys, k => k.Key.StartsWith("incoming/.processing/", StringComparison.Ordinal) && k.Key.EndsWith("/source.bin", StringComparison.Ordinal));
        Assert.EndsWith("-3\"", claimed.Value, StringComparison.Ordinal); // claimed by UploadPartCopy in three parts
        Assert.DoesNotContain(keys.Keys, k => k.Count(c => c == '/') == 1); // nothing left directly under incoming/
    }

    /// <summary>A store whose copy of one object into the processing area fails for good (after the wrapper's retries).</summary>
    private sealed class FailingClaims(IObjectStore inner, string failingKey) : IObjectStore
    {
        public string Describe => inner.Describe;

        public Task<ObjectInfo> PutAsync(string key, Stream content, ObjectProperties properties, CancellationToken cancellationToken) => inner.PutAsync(key, content, properties, cancellationToken);

        public Task<ObjectContent?> GetAsync(string key, TranscodeFarm.Storage.ByteRange? range, CancellationToken cancellationToken) => inner.GetAsync(key, range, cancellationToken);

        public Task<ObjectInfo?> HeadAsync(string key, CancellationToken cancellationToken) => inner.HeadAsync(key, cancellationToken);

        public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);

        public IAsyncEnumerable<ObjectInfo> ListChildrenAsync(string prefix, CancellationToken cancellationToken) => inner.ListChildrenAsync(prefix, cancellationToken);

        public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);

        public Task<ObjectInfo?> CopyAsync(string sourceKey, string destinationKey, string? sourceETag, CancellationToken cancellationToken) =>
            sourceKey == failingKey && destinationKey.Contains("/.processing/", StringComparison.Ordinal)
                ? throw new ObjectStoreException("injected: the server refused the copy", retryable: false)
                : inner.CopyAsync(sourceKey, destinationKey, sourceETag, cancellationToken);
    }
}
