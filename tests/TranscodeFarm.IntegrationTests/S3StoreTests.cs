using System.Security.Cryptography;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.IntegrationTests.Infrastructure;
using TranscodeFarm.Storage;

namespace TranscodeFarm.IntegrationTests;

public sealed class S3ObjectStoreTests : ObjectStoreContractTests, IAsyncLifetime
{
    private S3ObjectStore? _store;

    protected override IObjectStore Store => _store!;

    public async Task InitializeAsync() => _store = await TestS3.NewBucketAsync(prefix: "under/a/prefix/");

    public Task DisposeAsync()
    {
        _store?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_probe_fails_on_a_missing_bucket_and_on_wrong_credentials_with_the_servers_code()
    {
        using var missing = new S3ObjectStore(TestS3.Options("tf-missing-" + Guid.NewGuid().ToString("N")[..12]));
        Assert.Contains("NoSuchBucket", (await Assert.ThrowsAsync<ObjectStoreException>(() => missing.ProbeAsync(default))).Message);
        using var denied = new S3ObjectStore(TestS3.Options(_store!.Describe.Split('/')[2], secret: "wrong-secret"));
        Assert.Contains("SignatureDoesNotMatch", (await Assert.ThrowsAsync<ObjectStoreException>(() => denied.ProbeAsync(default))).Message);
    }

    [Fact]
    public async Task Large_objects_go_up_in_parts_and_come_back_intact()
    {
        using var store = await TestS3.NewBucketAsync(multipartThreshold: 6L * 1024 * 1024);
        var data = RandomNumberGenerator.GetBytes(13 * 1024 * 1024 + 12345); // three parts of 5 MiB, the last short
        var info = await store.PutAsync("big/rendition.mp4", new MemoryStream(data), Segment, default);
        Assert.Equal(data.Length, info.Length);
        await using var got = await store.GetAsync("big/rendition.mp4", null, default);
        var buffer = new MemoryStream();
        await got!.Stream.CopyToAsync(buffer);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(buffer.ToArray()));
        await using var tail = await store.GetAsync("big/rendition.mp4", new ByteRange(data.Length - 100, data.Length - 1), default);
        var tailBytes = new MemoryStream();
        await tail!.Stream.CopyToAsync(tailBytes);
        Assert.Equal(data[^100..], tailBytes.ToArray());
    }

    [Fact]
    public async Task Copies_above_the_threshold_go_in_parts_with_upload_part_copy()
    {
        // The threshold is 5 GiB in production; lowered here so RGW really runs UploadPartCopy (parts >= 5 MiB but the last).
        using var bucket = await TestS3.NewBucketAsync();
        using var store = new S3ObjectStore(SmallCopyParts(bucket.Describe.Split('/')[2]));
        var data = RandomNumberGenerator.GetBytes(12 * 1024 * 1024 + 777);
        var put = await store.PutAsync("in/big.mp4", new MemoryStream(data), Segment, default);
        var copy = await store.CopyAsync("in/big.mp4", "out/big.mp4", put.ETag, default);
        Assert.EndsWith("-3\"", copy!.ETag, StringComparison.Ordinal); // a multipart ETag: three parts (5 + 5 + 2 MiB)
        Assert.Equal("video/iso.segment", copy.ContentType);
        await using var got = await store.GetAsync("out/big.mp4", null, default);
        var buffer = new MemoryStream();
        await got!.Stream.CopyToAsync(buffer);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(buffer.ToArray()));

        var small = await store.PutAsync("in/small.mp4", new MemoryStream(data[..1000]), Segment, default);
        Assert.Equal(small.ETag, (await store.CopyAsync("in/small.mp4", "out/small.mp4", null, default))!.ETag); // one CopyObject
    }

    internal static S3StoreOptions SmallCopyParts(string bucket, bool anyKeys = false) => new()
    {
        Bucket = bucket,
        ServiceUrl = TestS3.Endpoint,
        AccessKey = TestS3.AccessKey,
        SecretKey = TestS3.SecretKey,
        MultipartCopyThresholdBytes = 5L * 1024 * 1024,
        CopyPartSizeBytes = 5L * 1024 * 1024,
        AnyKeys = anyKeys,
    };

    [Fact]
    public async Task Wrong_credentials_are_a_clear_permanent_error()
    {
        using var good = await TestS3.NewBucketAsync();
        using var bad = new S3ObjectStore(TestS3.Options(good.Describe.Split('/')[2], secret: "wrong-secret"));
        var ex = await Assert.ThrowsAsync<ObjectStoreException>(() => bad.PutAsync("a/x.m4s", new MemoryStream([1, 2, 3]), Segment, default));
        Assert.False(ex.Retryable);
        Assert.Contains("SignatureDoesNotMatch", ex.Message);
        Assert.DoesNotContain("wrong-secret", ex.Message);
    }
}

/// <summary>The embedded farm publishing to S3 (Ceph RGW) and its edge serving from the bucket.</summary>
public sealed class S3FarmTests
{
    [Fact]
    public async Task A_ladder_published_to_s3_is_served_byte_for_byte_by_the_edge()
    {
        using var bucket = await TestS3.NewBucketAsync();
        var name = bucket.Describe.Split('/')[2];
        await using var farm = new FarmProcess();
        var env = TestS3.FarmEnvironment(name);
        env["TRANSCODEFARM__Edge__MaxCachedObjectBytes"] = "4096"; // segments are cached in 4,096-byte slices: ranged S3 reads
        await farm.StartAsync(env);
        farm.Drop(await TestMedia.ClipAsync(320, 240, 4, extra: "-metadata comment=s3"), "to the cloud.mp4");
        var job = await farm.WaitForJobAsync("to the cloud.mp4");
        Assert.True(job.State == JobState.Succeeded, job.Error + farm.Output);
        Assert.False(Directory.Exists(Path.Combine(farm.StoreFolder, job.Id)), "nothing is published to the local store");

        using var published = new S3ObjectStore(TestS3.Options(name, "vod/"));
        var keys = new List<string>();
        await foreach (var o in published.ListAsync(job.Id + "/", default))
        {
            keys.Add(o.Key);
        }

        Assert.Contains($"{job.Id}/master.m3u8", keys);
        Assert.Equal(job.Outputs!.ObjectCount + 2, keys.Count); // the generation's objects, and root copies of the master and MPD
        var master = await farm.Http.GetStringAsync(new Uri($"/vod/{job.Id}/master.m3u8", UriKind.Relative));
        Assert.NotEmpty(HlsParser.ParseMaster(master).Variants);
        foreach (var key in keys)
        {
            var fromEdge = await farm.Http.GetByteArrayAsync(new Uri("/vod/" + key, UriKind.Relative));
            await using var fromS3 = await published.GetAsync(key, null, default);
            var direct = new MemoryStream();
            await fromS3!.Stream.CopyToAsync(direct);
            Assert.Equal(SHA256.HashData(direct.ToArray()), SHA256.HashData(fromEdge));
            var isAudio = Core.Ffmpeg.OutputLayout.Classify(Path.GetFileName(key)).Rendition == "2"; // test-tiny: 2 video + audio
            Assert.Equal(Core.Assets.MediaTypes.ForFile(key, isAudio), fromS3.Info.ContentType);
        }

        // A Range request for a large segment: its slice, read from S3 by range for the whole reads above, is now cached.
        var segment = keys.First(k => k.EndsWith("seg-0-00001.m4s", StringComparison.Ordinal));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/vod/" + segment);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, 1999);
        using var partial = await farm.Http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("HIT", partial.Headers.GetValues("X-Cache").Single());
        await using var whole = await published.GetAsync(segment, null, default);
        var all = new MemoryStream();
        await whole!.Stream.CopyToAsync(all);
        Assert.Equal(all.ToArray()[1000..2000], await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal($"bytes 1000-1999/{all.Length}", partial.Content.Headers.ContentRange!.ToString());
    }

    [Fact]
    public async Task Segments_are_uploaded_during_the_encode_and_manifests_only_at_the_end()
    {
        using var bucket = await TestS3.NewBucketAsync();
        var name = bucket.Describe.Split('/')[2];
        await using var farm = await SlowFarmPublishingToAsync(name);
        farm.Drop(await TestMedia.ClipAsync(640, 360, 12, extra: "-metadata comment=pipelined"), "pipelined.mp4");
        using var published = new S3ObjectStore(TestS3.Options(name, "vod/"));
        var sawSegmentsDuringEncode = false;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            var job = (await farm.Queue.ListAsync(null, 5, default)).FirstOrDefault(j => j.SourceName == "pipelined.mp4");
            if (job?.State.IsTerminal() == true)
            {
                break;
            }

            if (job is { Progress.Stage: PipelineStage.Encode })
            {
                var keys = new List<string>();
                await foreach (var o in published.ListAsync(job.Id + "/", default))
                {
                    keys.Add(o.Key);
                }

                Assert.DoesNotContain(keys, k => k.EndsWith(".m3u8", StringComparison.Ordinal) || k.EndsWith(".mpd", StringComparison.Ordinal));
                sawSegmentsDuringEncode |= keys.Any(k => k.Contains("/seg-", StringComparison.Ordinal));
            }

            await Task.Delay(200);
        }

        Assert.True(sawSegmentsDuringEncode, "no segment reached the store before the encode ended");
        var done = await farm.WaitForJobAsync("pipelined.mp4");
        Assert.True(done.State == JobState.Succeeded, done.Error);
        Assert.NotNull(await published.HeadAsync($"{done.Id}/master.m3u8", default));
    }

    [Fact]
    public async Task An_s3_outage_during_publish_is_ridden_out_and_the_asset_is_complete()
    {
        using var bucket = await TestS3.NewBucketAsync();
        var name = bucket.Describe.Split('/')[2];
        await using var farm = await SlowFarmPublishingToAsync(name);
        farm.Drop(await TestMedia.ClipAsync(640, 360, 12, extra: "-metadata comment=outage"), "outage.mp4");
        using var published = new S3ObjectStore(TestS3.Options(name, "vod/"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        JobRecord? job = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            job = (await farm.Queue.ListAsync(null, 5, default)).FirstOrDefault(j => j.SourceName == "outage.mp4");
            if (job is { Progress.Stage: PipelineStage.Encode } && await published.HeadAsync($"{job.Id}/g{job.Generation}/seg-0-00001.m4s", default) is not null)
            {
                break; // publishing has begun
            }

            await Task.Delay(100);
        }

        Assert.NotNull(job);
        try
        {
            await TestS3.GatewayAsync("kill-gateway");
            await Task.Delay(TimeSpan.FromSeconds(10));
        }
        finally
        {
            await TestS3.GatewayAsync("start-gateway");
        }

        var done = await farm.WaitForJobAsync("outage.mp4", TimeSpan.FromMinutes(2));
        Assert.True(done.State == JobState.Succeeded, done.Error + farm.Output);
        Assert.True(EdgeTests.MetricValue(await farm.MetricsAsync(), "transcodefarm_store_retries_total") >= 1, "the outage was never noticed");

        var manifests = new Dictionary<string, string>();
        foreach (var file in new[] { "master.m3u8", "manifest.mpd", "media_0.m3u8", "media_1.m3u8" })
        {
            await using var o = await published.GetAsync($"{done.Outputs!.ObjectPrefix}/{file}", null, default);
            manifests[file] = await new StreamReader(o!.Stream).ReadToEndAsync();
        }

        var check = ManifestCheck.Check(manifests);
        Assert.True(check.Ok, string.Join("\n", check.Problems));
        foreach (var file in check.ReferencedFiles)
        {
            var head = await published.HeadAsync($"{done.Outputs!.ObjectPrefix}/{file}", default);
            Assert.True(head is { Length: > 0 }, $"{file} is missing or empty after the outage");
        }
    }

    [Fact]
    public async Task A_store_refusing_uploads_stops_the_encode_early()
    {
        // A worker claims only while it can write the store (issue 13), so the store starts refusing after the claim: the
        // bucket goes away while the first segment is still being encoded, and every upload after that is refused.
        using var bucket = await TestS3.NewBucketAsync();
        var name = bucket.Describe.Split('/')[2];
        await using var farm = await SlowFarmPublishingToAsync(name);
        farm.Drop(await TestMedia.ClipAsync(640, 360, 40, extra: "-metadata comment=refused"), "refused.mp4");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await farm.Queue.ListAsync(null, 5, default)).FirstOrDefault(j => j.SourceName == "refused.mp4") is not { State: JobState.Running })
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the job never started:\n" + farm.Output);
            await Task.Delay(100);
        }

        await DeleteBucketAsync(bucket);
        // How far the encode got, not how long it took: a loaded box makes any number of seconds meaningless, while an encode
        // that went on after the refusal would reach the end of this 40 s clip.
        var furthest = 0.0;
        JobRecord job;
        while (true)
        {
            job = (await farm.Queue.ListAsync(null, 5, default)).First(j => j.SourceName == "refused.mp4");
            furthest = job.Progress is { Stage: PipelineStage.Encode } p ? Math.Max(furthest, p.Fraction) : furthest;
            if (job.State.IsTerminal())
            {
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "the job never ended:\n" + farm.Output);
            await Task.Delay(100);
        }

        Assert.True(furthest < 0.5, $"the encode went on to {furthest:P0} of the clip after the store refused uploads");
        Assert.Equal(JobState.Failed, job.State);
        Assert.Equal(1, job.Attempts); // no retry storm
        Assert.StartsWith("publish: ", job.Error);
        Assert.True(job.Error!.Contains("NoSuchBucket (HTTP 404", StringComparison.Ordinal), job.Error); // the whole reason when it fails
        Assert.DoesNotContain(System.Diagnostics.Process.GetProcessesByName("ffmpeg"), p => File.ReadAllText($"/proc/{p.Id}/cmdline").Contains(farm.DataDirectory, StringComparison.Ordinal));
        Assert.DoesNotContain("()", job.Error);
    }

    /// <summary>
    /// Empties the bucket and deletes it. The attempt's init segments go up as soon as they are made, and a health probe
    /// caught between its put and delete makes it busy for a moment: empty it again until the delete takes.
    /// </summary>
    private static async Task DeleteBucketAsync(S3ObjectStore bucket)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var listed = await bucket.Client.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = bucket.Bucket });
                foreach (var o in listed.S3Objects ?? [])
                {
                    await bucket.Client.DeleteObjectAsync(bucket.Bucket, o.Key);
                }

                await bucket.Client.DeleteBucketAsync(bucket.Bucket);
                return;
            }
            catch (Amazon.S3.AmazonS3Exception ex) when (ex.ErrorCode == "BucketNotEmpty" && attempt < 20)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>A farm with a deliberately slow ladder publishing to the bucket: time to act during the encode.</summary>
    private static async Task<FarmProcess> SlowFarmPublishingToAsync(string bucket, string? secret = null, bool requireHealthy = true)
    {
        var env = TestS3.FarmEnvironment(bucket, secret: secret);
        foreach (var (k, v) in SlowProfile.Environment(SlowProfile.CreateFolder()))
        {
            env[k] = v;
        }

        var farm = new FarmProcess();
        await farm.StartAsync(env, requireHealthy: requireHealthy);
        return farm;
    }
}
