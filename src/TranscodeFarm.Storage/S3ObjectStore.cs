using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using TranscodeFarm.Core.Assets;

namespace TranscodeFarm.Storage;

/// <summary>
/// Object store on an S3-compatible bucket. Every upload carries Content-MD5, so the server rejects a corrupted
/// body, and the returned ETag is compared with our MD5. Large objects go up in parts (each with its MD5).
/// </summary>
public sealed class S3ObjectStore : IObjectStore, IDisposable
{
    private readonly AmazonS3Client _s3;
    private readonly S3StoreOptions _options;

    public S3ObjectStore(S3StoreOptions options)
    {
        _options = options;
        _s3 = CreateClient(options);
    }

    /// <summary>A client for an S3-compatible endpoint with the settings every store here needs.</summary>
    public static AmazonS3Client CreateClient(S3StoreOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            AuthenticationRegion = options.Region,
            // Checksums only where the API requires them: Ceph RGW 16 rejects the SDK's default trailing checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = TimeSpan.FromSeconds(60),
            MaxErrorRetry = 2,
        };
        if (!string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }

        return string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    public string Describe => $"s3://{_options.Bucket}/{_options.Prefix}";

    public AmazonS3Client Client => _s3;

    public Task<ObjectInfo> PutAsync(string key, Stream content, ObjectProperties properties, CancellationToken cancellationToken) =>
        Translate(() => PutCoreAsync(key, content, properties, cancellationToken), "put", key);

    private async Task<ObjectInfo> PutCoreAsync(string key, Stream content, ObjectProperties properties, CancellationToken cancellationToken)
    {
        var fullKey = FullKey(key);
        var length = content.CanSeek ? content.Length - content.Position : -1;
        if (length < 0 || length > _options.MultipartThresholdBytes)
        {
            return await PutMultipartAsync(key, fullKey, content, properties, cancellationToken);
        }

        var body = new byte[length];
        await content.ReadExactlyAsync(body, cancellationToken);
        var md5 = MD5.HashData(body);
        var request = new PutObjectRequest
        {
            BucketName = _options.Bucket,
            Key = fullKey,
            InputStream = new MemoryStream(body, writable: false),
            ContentType = properties.ContentType,
            MD5Digest = Convert.ToBase64String(md5),
        };
        request.Headers.CacheControl = properties.CacheControl;
        var response = await _s3.PutObjectAsync(request, cancellationToken);
        var etag = '"' + Convert.ToHexStringLower(md5) + '"';
        if (!string.Equals(response.ETag, etag, StringComparison.OrdinalIgnoreCase))
        {
            throw new IOException($"upload of {key} was not stored intact: ETag {response.ETag}, expected {etag}");
        }

        return new ObjectInfo(key, body.Length, etag, properties.ContentType, properties.CacheControl, DateTimeOffset.UnixEpoch);
    }

    private async Task<ObjectInfo> PutMultipartAsync(string key, string fullKey, Stream content, ObjectProperties properties, CancellationToken cancellationToken)
    {
        var init = new InitiateMultipartUploadRequest { BucketName = _options.Bucket, Key = fullKey, ContentType = properties.ContentType };
        init.Headers.CacheControl = properties.CacheControl;
        var buffer = new byte[_options.PartSizeBytes];
        long total = 0;
        await MultipartAsync(init, async uploadId =>
        {
            var parts = new List<PartETag>();
            for (var number = 1; ; number++)
            {
                var read = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
                if (read == 0 && number > 1)
                {
                    break;
                }

                var md5 = MD5.HashData(buffer.AsSpan(0, read));
                var part = await _s3.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _options.Bucket,
                    Key = fullKey,
                    UploadId = uploadId,
                    PartNumber = number,
                    InputStream = new MemoryStream(buffer, 0, read, writable: false),
                    PartSize = read,
                    MD5Digest = Convert.ToBase64String(md5),
                }, cancellationToken);
                parts.Add(new PartETag(number, part.ETag));
                total += read;
                if (read < buffer.Length)
                {
                    break;
                }
            }

            return parts;
        }, cancellationToken);

        // Ceph RGW answers CompleteMultipartUpload with an empty ETag: ask for the stored object instead.
        var head = await HeadCoreAsync(key, cancellationToken) ?? throw new IOException($"multipart upload of {key} is not visible");
        if (head.Length != total)
        {
            throw new IOException($"multipart upload of {key} stored {head.Length} bytes, sent {total}");
        }

        return head;
    }

    public Task<ObjectContent?> GetAsync(string key, ByteRange? range, CancellationToken cancellationToken) =>
        Translate(() => GetCoreAsync(key, range, cancellationToken), "get", key);

    private async Task<ObjectContent?> GetCoreAsync(string key, ByteRange? range, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = _options.Bucket, Key = FullKey(key) };
        if (range is { } r)
        {
            request.ByteRange = new Amazon.S3.Model.ByteRange(r.From, r.To);
        }

        try
        {
            var response = await _s3.GetObjectAsync(request, cancellationToken);
            var length = range is null ? response.ContentLength : ParseTotalLength(response.ContentRange) ?? response.ContentLength;
            return new ObjectContent(Info(key, length, response.ETag, response.Headers.ContentType, response.Headers.CacheControl, response.LastModified), response.ResponseStream, range);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<ObjectInfo?> HeadAsync(string key, CancellationToken cancellationToken) =>
        Translate(() => HeadCoreAsync(key, cancellationToken), "head", key);

    private async Task<ObjectInfo?> HeadCoreAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var m = await _s3.GetObjectMetadataAsync(_options.Bucket, FullKey(key), cancellationToken);
            return Info(key, m.ContentLength, m.ETag, m.Headers.ContentType, m.Headers.CacheControl, m.LastModified);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken) =>
        ListPagesAsync(prefix, delimiter: null, cancellationToken);

    /// <summary>One level only (Delimiter "/"): the ingest prefix's done/ and failed/ are never listed.</summary>
    public IAsyncEnumerable<ObjectInfo> ListChildrenAsync(string prefix, CancellationToken cancellationToken) =>
        ListPagesAsync(prefix, "/", cancellationToken);

    private async IAsyncEnumerable<ObjectInfo> ListPagesAsync(string prefix, string? delimiter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CheckPrefix(prefix);
        var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = _options.Prefix + prefix, Delimiter = delimiter };
        ListObjectsV2Response response;
        do
        {
            response = await Translate(() => _s3.ListObjectsV2Async(request, cancellationToken), "list", prefix);
            foreach (var o in response.S3Objects ?? [])
            {
                var key = o.Key[_options.Prefix.Length..];
                yield return new ObjectInfo(key, o.Size ?? 0, o.ETag, MediaTypes.ForFile(key), MediaTypes.CacheControlFor(key), o.LastModified ?? DateTimeOffset.UnixEpoch);
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);
    }

    /// <summary>One listing request for at most one key under the store's prefix: fails on an unreachable endpoint, wrong
    /// credentials or a missing bucket (which a HEAD of a missing key could not tell from "no such key").</summary>
    public Task ProbeAsync(CancellationToken cancellationToken) =>
        Translate(() => _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = _options.Prefix, MaxKeys = 1 }, cancellationToken), "list", _options.Prefix);

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken) =>
        Translate(() => DeleteCoreAsync(key, cancellationToken), "delete", key);

    private async Task<bool> DeleteCoreAsync(string key, CancellationToken cancellationToken)
    {
        // S3 deletes are idempotent and do not say whether anything was there: ask first.
        var existed = await HeadCoreAsync(key, cancellationToken) is not null;
        await _s3.DeleteObjectAsync(_options.Bucket, FullKey(key), cancellationToken);
        return existed;
    }

    public Task<ObjectInfo?> CopyAsync(string sourceKey, string destinationKey, string? sourceETag, CancellationToken cancellationToken) =>
        Translate(() => CopyCoreAsync(sourceKey, destinationKey, sourceETag, cancellationToken), "copy", sourceKey);

    private async Task<ObjectInfo?> CopyCoreAsync(string sourceKey, string destinationKey, string? sourceETag, CancellationToken cancellationToken)
    {
        var source = await HeadCoreAsync(sourceKey, cancellationToken);
        if (source is null || (sourceETag is not null && !ObjectETags.Same(source.ETag, sourceETag)))
        {
            return null;
        }

        // The ETag is also a precondition of the copy itself: an object replaced after the HEAD is not copied.
        var etag = sourceETag ?? source.ETag;
        try
        {
            if (source.Length > _options.MultipartCopyThresholdBytes)
            {
                await CopyMultipartAsync(source, FullKey(destinationKey), etag, cancellationToken);
            }
            else
            {
                await _s3.CopyObjectAsync(new CopyObjectRequest
                {
                    SourceBucket = _options.Bucket,
                    SourceKey = FullKey(sourceKey),
                    DestinationBucket = _options.Bucket,
                    DestinationKey = FullKey(destinationKey),
                    ETagToMatch = etag,
                }, cancellationToken);
            }
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
        {
            return null; // deleted or replaced since the HEAD
        }

        return await HeadCoreAsync(destinationKey, cancellationToken) ?? throw new IOException($"copy of {sourceKey} to {destinationKey} is not visible");
    }

    /// <summary>UploadPartCopy: the server copies byte ranges of the source into the parts of a new upload.</summary>
    private async Task CopyMultipartAsync(ObjectInfo source, string fullDestination, string etag, CancellationToken cancellationToken)
    {
        var partSize = Math.Max(Math.Max(_options.CopyPartSizeBytes, S3Limits.MinPartBytes), (source.Length + S3Limits.MaxParts - 1) / S3Limits.MaxParts);
        var init = new InitiateMultipartUploadRequest { BucketName = _options.Bucket, Key = fullDestination, ContentType = source.ContentType };
        init.Headers.CacheControl = source.CacheControl;
        await MultipartAsync(init, async uploadId =>
        {
            var parts = new List<PartETag>();
            for (long first = 0, number = 1; first < source.Length; first += partSize, number++)
            {
                var part = await _s3.CopyPartAsync(new CopyPartRequest
                {
                    SourceBucket = _options.Bucket,
                    SourceKey = FullKey(source.Key),
                    DestinationBucket = _options.Bucket,
                    DestinationKey = fullDestination,
                    UploadId = uploadId,
                    PartNumber = (int)number,
                    FirstByte = first,
                    LastByte = Math.Min(first + partSize, source.Length) - 1,
                    ETagToMatch = [etag],
                }, cancellationToken);
                parts.Add(new PartETag((int)number, part.ETag));
            }

            return parts;
        }, cancellationToken);
    }

    /// <summary>Starts a multipart upload, lets <paramref name="sendParts"/> fill it, completes it; aborts it on any failure,
    /// so no orphan parts stay billed in the bucket.</summary>
    private async Task MultipartAsync(InitiateMultipartUploadRequest init, Func<string, Task<List<PartETag>>> sendParts, CancellationToken cancellationToken)
    {
        var upload = await _s3.InitiateMultipartUploadAsync(init, cancellationToken);
        try
        {
            var parts = await sendParts(upload.UploadId);
            await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _options.Bucket,
                Key = init.Key,
                UploadId = upload.UploadId,
                PartETags = parts,
            }, cancellationToken);
        }
        catch
        {
            await _s3.AbortMultipartUploadAsync(_options.Bucket, init.Key, upload.UploadId, CancellationToken.None);
            throw;
        }
    }

    public string Bucket => _options.Bucket;

    /// <summary>Creates the bucket when one listing says it does not exist; false when it was there already. Wrong
    /// credentials or an unreachable endpoint throw, as any other operation.</summary>
    public async Task<bool> CreateBucketAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ProbeAsync(cancellationToken);
            return false;
        }
        catch (ObjectStoreException ex) when (ex.Code == "NoSuchBucket")
        {
            // create it below
        }

        return await Translate(async () =>
        {
            try
            {
                await _s3.PutBucketAsync(new PutBucketRequest { BucketName = _options.Bucket }, cancellationToken);
            }
            catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou")
            {
                return false; // another host created it a moment ago
            }

            return true;
        }, "create bucket", _options.Bucket);
    }

    /// <summary>Creates the bucket if it does not exist (tests, first start of a farm).</summary>
    public async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _s3.PutBucketAsync(new PutBucketRequest { BucketName = _options.Bucket }, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            // fine
        }
    }

    public void Dispose() => _s3.Dispose();

    /// <summary>SDK errors become <see cref="ObjectStoreException"/>s that say whether a retry can help, without secrets.</summary>
    private async Task<T> Translate<T>(Func<Task<T>> operation, string verb, string key)
    {
        try
        {
            return await operation();
        }
        catch (AmazonServiceException ex)
        {
            // AmazonS3Exception included: RGW often sends no message, so the text is built from what there is (StoreErrorText).
            var permanent = ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest
                || ex.ErrorCode is "NoSuchBucket" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "AccessDenied";
            var text = StoreErrorText.Of(ex.ErrorCode, ex.Message, ex.RequestId, (int)ex.StatusCode);
            var hint = StoreErrorText.Hint(ex.ErrorCode, _options.Bucket);
            throw new ObjectStoreException($"{Describe}: {verb} {key} failed: {text}{(hint is null ? "" : "; " + hint)}", retryable: !permanent, ex, ex.ErrorCode);
        }
        catch (AmazonClientException ex)
        {
            // Raised before any request: no credentials in the AWS chain, a bad endpoint. Not an exception to let through
            // unwrapped (the edge would answer 500); retried, since instance credentials can be a moment late.
            throw new ObjectStoreException($"{Describe}: {verb} {key} failed: {ex.Message}", retryable: true, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ObjectStoreException($"{Describe}: {verb} {key} failed: {ex.Message}", retryable: true, ex);
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            throw new ObjectStoreException($"{Describe}: {verb} {key} timed out", retryable: true, ex);
        }
    }

    private string FullKey(string key) =>
        _options.AnyKeys ? (key.Length > 0 ? _options.Prefix + key : throw new ArgumentException("empty object key", nameof(key)))
        : ObjectKeys.IsValid(key) ? _options.Prefix + key : throw new ArgumentException($"invalid object key '{key}'", nameof(key));

    private void CheckPrefix(string prefix)
    {
        if (!_options.AnyKeys && !ObjectKeys.IsValidPrefix(prefix))
        {
            throw new ArgumentException($"invalid prefix '{prefix}'", nameof(prefix));
        }
    }

    private static ObjectInfo Info(string key, long length, string? etag, string? contentType, string? cacheControl, DateTime? lastModified) =>
        new(key, length, etag ?? "", contentType ?? MediaTypes.ForFile(key), cacheControl ?? MediaTypes.CacheControlFor(key),
            lastModified is { } t ? new DateTimeOffset(t.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.UnixEpoch);

    private static long? ParseTotalLength(string? contentRange) =>
        contentRange?.Split('/') is [_, var total] && long.TryParse(total, out var n) ? n : null;
}
