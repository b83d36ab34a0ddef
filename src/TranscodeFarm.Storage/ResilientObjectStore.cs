using System.Runtime.CompilerServices;
using Polly;
using Polly.Retry;

namespace TranscodeFarm.Storage;

/// <summary>
/// Retries store operations that failed for a transient reason (throttling, 5xx, timeouts, connection resets)
/// with exponential backoff and jitter (Polly). Permanent failures (wrong credentials, no bucket) fail at once.
/// An upload is retried only when its stream can be rewound.
/// </summary>
public sealed class ResilientObjectStore : IObjectStore
{
    private readonly IObjectStore _inner;
    private readonly ResiliencePipeline _pipeline;

    /// <summary>The store without retries: for callers with their own, shorter deadline (the edge answers a player in
    /// seconds and serves stale instead of waiting out a retry budget).</summary>
    public IObjectStore Inner => _inner;

    /// <param name="onRetry">Called before each retry with the attempt number and the failure (metrics, logs).</param>
    public ResilientObjectStore(IObjectStore inner, int maxRetries, TimeSpan baseDelay, TimeSpan maxDelay, Action<int, Exception>? onRetry = null, TimeProvider? time = null)
    {
        _inner = inner;
        var builder = new ResiliencePipelineBuilder();
        if (time is not null)
        {
            builder.TimeProvider = time;
        }

        _pipeline = builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<ObjectStoreException>(ex => ex.Retryable),
            MaxRetryAttempts = maxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = baseDelay,
            MaxDelay = maxDelay,
            OnRetry = args =>
            {
                onRetry?.Invoke(args.AttemptNumber + 1, args.Outcome.Exception!);
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    public string Describe => _inner.Describe;

    public async Task<ObjectInfo> PutAsync(string key, Stream content, ObjectProperties properties, CancellationToken cancellationToken)
    {
        if (!content.CanSeek)
        {
            return await _inner.PutAsync(key, content, properties, cancellationToken);
        }

        var start = content.Position;
        return await _pipeline.ExecuteAsync(async ct =>
        {
            content.Position = start;
            return await _inner.PutAsync(key, content, properties, ct);
        }, cancellationToken);
    }

    public async Task<ObjectContent?> GetAsync(string key, ByteRange? range, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(async ct => await _inner.GetAsync(key, range, ct), cancellationToken);

    public async Task<ObjectInfo?> HeadAsync(string key, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(async ct => await _inner.HeadAsync(key, ct), cancellationToken);

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A listing is retried as a whole, before anything is yielded, so callers never see duplicates.
        var all = await _pipeline.ExecuteAsync(async ct =>
        {
            var items = new List<ObjectInfo>();
            await foreach (var o in _inner.ListAsync(prefix, ct))
            {
                items.Add(o);
            }

            return items;
        }, cancellationToken);
        foreach (var o in all)
        {
            yield return o;
        }
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(async ct => await _inner.DeleteAsync(key, ct), cancellationToken);

    /// <summary>Not retried: a probe reports the state now.</summary>
    public Task ProbeAsync(CancellationToken cancellationToken) => _inner.ProbeAsync(cancellationToken);

    /// <summary>Not retried: it starts with a probe, which reports the state now; a caller that wants to wait retries itself.</summary>
    public Task<bool> CreateBucketAsync(CancellationToken cancellationToken) => _inner.CreateBucketAsync(cancellationToken);

    /// <summary>A copy is idempotent (same source, same destination): retried as a whole.</summary>
    public async Task<ObjectInfo?> CopyAsync(string sourceKey, string destinationKey, string? sourceETag, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(async ct => await _inner.CopyAsync(sourceKey, destinationKey, sourceETag, ct), cancellationToken);

    public async IAsyncEnumerable<ObjectInfo> ListChildrenAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var all = await _pipeline.ExecuteAsync(async ct =>
        {
            var items = new List<ObjectInfo>();
            await foreach (var o in _inner.ListChildrenAsync(prefix, ct))
            {
                items.Add(o);
            }

            return items;
        }, cancellationToken);
        foreach (var o in all)
        {
            yield return o;
        }
    }
}
