using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Worker.Ingest;

/// <summary>
/// An S3 prefix used as a drop location. Producers upload to PREFIX/name (any name); a scan claims each object
/// by copying it to PREFIX.processing/&lt;token&gt;/source.ext (the token is derived from the key and ETag, so every
/// scanner picks the same one) and submitting it; the queue's idempotent submit lets exactly one job exist.
/// When the job ends the object moves to PREFIX/done/ or PREFIX/failed/ next to name.error.json.
/// </summary>
public sealed class S3IngestLocation(AmazonS3Client s3, string bucket, string prefix)
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string Describe => $"s3://{bucket}/{prefix}";
    public string ProcessingPrefix => prefix + ".processing/";

    public static bool Owns(JobRecord job) => job.Origin == JobOrigin.S3Prefix;

    /// <summary>Objects directly under the prefix that are ready: not hidden, partial or a sidecar, and a few seconds old.</summary>
    public async Task<IReadOnlyList<S3Object>> ReadyObjectsAsync(DateTimeOffset now, TimeSpan minAge, CancellationToken cancellationToken)
    {
        var ready = new List<S3Object>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, Delimiter = "/" };
        ListObjectsV2Response response;
        do
        {
            response = await s3.ListObjectsV2Async(request, cancellationToken);
            foreach (var o in response.S3Objects ?? [])
            {
                var name = o.Key[prefix.Length..];
                if (name.Length > 0 && DropFolderLayout.IsCandidate(name) && (o.LastModified is null || now - o.LastModified.Value.ToUniversalTime() >= minAge))
                {
                    ready.Add(o);
                }
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);
        return ready;
    }

    /// <summary>
    /// Copies the object into its processing key (the same for every scanner) and returns that s3:// source path.
    /// The original stays until <see cref="ReleaseOriginalAsync"/>, after the job is submitted: a failed submit loses nothing.
    /// </summary>
    public async Task<string?> ClaimAsync(S3Object o, CancellationToken cancellationToken)
    {
        var name = o.Key[prefix.Length..];
        var token = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(o.Key + "\n" + o.ETag)))[..16];
        var target = ProcessingPrefix + token + "/" + DropFolderLayout.SafeSourceName(name);
        try
        {
            await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = o.Key, DestinationBucket = bucket, DestinationKey = target, ETagToMatch = o.ETag }, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
        {
            // Another scanner moved it first, or the producer replaced it: its claim (or the next scan) covers it.
            if (await ExistsAsync(target, cancellationToken) is false)
            {
                return null;
            }
        }

        return $"s3://{bucket}/{target}";
    }

    public async Task ReleaseOriginalAsync(S3Object o, CancellationToken cancellationToken) =>
        await s3.DeleteObjectAsync(bucket, o.Key, cancellationToken);

    public async Task DownloadAsync(string sourcePath, string localPath, CancellationToken cancellationToken)
    {
        using var response = await s3.GetObjectAsync(bucket, KeyOf(sourcePath), cancellationToken);
        await response.WriteResponseStreamToFileAsync(localPath, append: false, cancellationToken);
    }

    /// <summary>Moves the source of an ended job to done/ or failed/ (with its error report) under its original name.</summary>
    public async Task SettleAsync(JobRecord job, ErrorReport? report, CancellationToken cancellationToken)
    {
        var key = KeyOf(job.SourcePath);
        if (!key.StartsWith(ProcessingPrefix, StringComparison.Ordinal) || !await ExistsAsync(key, cancellationToken))
        {
            return;
        }

        var destination = prefix + (job.State == JobState.Succeeded ? "done/" : "failed/") + job.SourceName;
        await s3.CopyObjectAsync(bucket, key, bucket, destination, cancellationToken);
        if (report is not null)
        {
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = destination + ".error.json",
                ContentBody = JsonSerializer.Serialize(report, Indented),
                ContentType = "application/json",
            }, cancellationToken);
        }

        await s3.DeleteObjectAsync(bucket, key, cancellationToken);
    }

    public async Task MoveToDoneAsync(string sourcePath, string name, CancellationToken cancellationToken)
    {
        var key = KeyOf(sourcePath);
        await s3.CopyObjectAsync(bucket, key, bucket, prefix + "done/" + name, cancellationToken);
        await s3.DeleteObjectAsync(bucket, key, cancellationToken);
    }

    private async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await s3.GetObjectMetadataAsync(bucket, key, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private string KeyOf(string sourcePath)
    {
        var start = $"s3://{bucket}/";
        return sourcePath.StartsWith(start, StringComparison.Ordinal) ? sourcePath[start.Length..] : throw new ArgumentException($"{sourcePath} is not in {Describe}");
    }

    public static S3IngestLocation Create(string url, StoreOptions store)
    {
        var (bucket, prefix) = S3StoreOptions.ParseUrl(url);
        var client = S3ObjectStore.CreateClient(new S3StoreOptions
        {
            Bucket = bucket,
            ServiceUrl = store.ServiceUrl,
            Region = store.Region,
            ForcePathStyle = store.ForcePathStyle,
            AccessKey = store.AccessKey,
            SecretKey = store.SecretKey,
        });
        return new S3IngestLocation(client, bucket, prefix);
    }
}
