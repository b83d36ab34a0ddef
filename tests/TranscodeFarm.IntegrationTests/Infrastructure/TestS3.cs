using TranscodeFarm.Storage;

namespace TranscodeFarm.IntegrationTests.Infrastructure;

/// <summary>
/// The Ceph RADOS Gateway that scripts/test.sh starts on 127.0.0.1 (S3_* settings in TRANSCODEFARM_TEST_S3_*).
/// Each user gets a fresh bucket. Never skipped: without the server these tests fail and say how to start it.
/// </summary>
public static class TestS3
{
    public static string Endpoint => Required("TRANSCODEFARM_TEST_S3_ENDPOINT");
    public static string AccessKey => Required("TRANSCODEFARM_TEST_S3_ACCESS_KEY");
    public static string SecretKey => Required("TRANSCODEFARM_TEST_S3_SECRET_KEY");

    /// <summary>The RGW's folder, for scripts/rgw.sh kill-gateway / start-gateway.</summary>
    public static string Directory => Required("TRANSCODEFARM_TEST_S3_DIR");

    public static async Task GatewayAsync(string verb)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "rgw.sh");
        var r = await Tools.RunAsync("bash", [script, verb, Directory], timeout: TimeSpan.FromMinutes(2));
        Assert.True(r.ExitCode == 0, $"rgw.sh {verb}: {r.Stderr}");
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TranscodeFarm.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root above " + AppContext.BaseDirectory);
    }

    public static async Task<S3ObjectStore> NewBucketAsync(string prefix = "", long multipartThreshold = 16L * 1024 * 1024)
    {
        var store = new S3ObjectStore(Options("tf-" + Guid.NewGuid().ToString("N")[..16], prefix, multipartThreshold));
        await store.EnsureBucketAsync(default);
        return store;
    }

    public static S3StoreOptions Options(string bucket, string prefix = "", long multipartThreshold = 16L * 1024 * 1024, string? secret = null) => new()
    {
        Bucket = bucket,
        Prefix = prefix,
        ServiceUrl = Endpoint,
        AccessKey = AccessKey,
        SecretKey = secret ?? SecretKey,
        MultipartThresholdBytes = multipartThreshold,
        PartSizeBytes = 5L * 1024 * 1024,
    };

    /// <summary>Environment for a farm process publishing to <paramref name="bucket"/>.</summary>
    public static Dictionary<string, string> FarmEnvironment(string bucket, string prefix = "vod/", string? secret = null) => new()
    {
        ["TRANSCODEFARM__Store__Url"] = $"s3://{bucket}/{prefix}",
        ["TRANSCODEFARM__Store__ServiceUrl"] = Endpoint,
        ["TRANSCODEFARM__Store__AccessKey"] = AccessKey,
        ["TRANSCODEFARM__Store__SecretKey"] = secret ?? SecretKey,
    };

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: run the tests with scripts/test.sh, which starts a Ceph RGW on 127.0.0.1 (or scripts/rgw.sh start DIR PORT)");
}
