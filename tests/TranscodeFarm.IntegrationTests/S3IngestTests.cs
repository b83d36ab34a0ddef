using Amazon.S3.Model;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.IntegrationTests.Infrastructure;

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
}
