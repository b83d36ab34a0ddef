using TranscodeFarm.Core.Caching;
using TranscodeFarm.Edge.Origins;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Edge.Caching;

public enum FillOutcome
{
    /// <summary>The body is arriving into <see cref="ObjectFill.Body"/>: stream it as it grows.</summary>
    Streaming,
    /// <summary>The cached copy was confirmed; serve it.</summary>
    NotModified,
    NotFound,
    /// <summary>Larger than Edge:MaxCachedObjectBytes: each request streams its own range from the origin.</summary>
    TooLarge,
    /// <summary>The in-flight byte budget is spent: each request streams from the origin, nothing is buffered.</summary>
    NoBuffer,
    Failed,
}

public sealed record FillHead(FillOutcome Outcome, ObjectInfo? Info = null, OriginError Error = OriginError.None, string? Message = null);

/// <summary>
/// One origin fetch that any number of requests share (miss coalescing with read-while-write): the fetch writes the body
/// into one buffer and every waiter streams from it as it grows, so the first bytes reach all players while the rest
/// is still arriving, and N waiters cost one buffer, not N.
/// The fill owns one reference to its body. Its fetch and every request that joined it hold a join; the last to
/// <see cref="Leave"/> releases the fill's reference, so no reader ever sees the body's chunks go back to the pool under it.
/// </summary>
public sealed class ObjectFill(string key)
{
    private readonly TaskCompletionSource<FillHead> _head = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _more = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PooledBody? _body;
    private Action? _bodyReleased;
    private int _joins = 1; // the fetch's own
    private long _written;
    private volatile bool _completed;
    private volatile string? _error;
    private volatile bool _discarded;

    public string Key { get; } = key;

    public Task<FillHead> Head => _head.Task;

    /// <summary>The body being written; there once <see cref="Head"/> said <see cref="FillOutcome.Streaming"/>.</summary>
    public PooledBody Body => _body ?? throw new InvalidOperationException($"the fetch of {Key} has no body");

    public long Written => Volatile.Read(ref _written);

    public bool Completed => _completed;

    /// <summary>Why the body stopped short; the waiters' connections are aborted (their headers already promised a length).</summary>
    public string? Error => _error;

    /// <summary>A purge came while fetching: the result is served to those already waiting but never cached.</summary>
    public bool Discarded => _discarded;

    public void Discard() => _discarded = true;

    /// <summary>The body came from the disk tier, not the origin: the requests served from it are hits.</summary>
    public bool FromDisk { get; internal set; }

    /// <summary>
    /// Joins while the fill still has someone in it (false once the last one left: its body may be gone, start another).
    /// Every successful join is matched by one <see cref="Leave"/>.
    /// </summary>
    public bool TryJoin()
    {
        var seen = Volatile.Read(ref _joins);
        while (seen > 0)
        {
            var before = Interlocked.CompareExchange(ref _joins, seen + 1, seen);
            if (before == seen)
            {
                return true;
            }

            seen = before;
        }

        return false;
    }

    /// <summary>The fetch or a request is done with this fill; the last one releases the body.</summary>
    public void Leave()
    {
        var left = Interlocked.Decrement(ref _joins);
        if (left < 0)
        {
            throw new InvalidOperationException($"the fetch of {Key} was left more often than joined");
        }

        if (left == 0 && _body is { } body)
        {
            body.Release();
            _bodyReleased?.Invoke();
        }
    }

    internal void Answer(FillHead head) => _head.TrySetResult(head);

    /// <summary>
    /// Hands the fill a fresh body (one reference, now the fill's) and tells the waiters to stream it;
    /// <paramref name="released"/> runs once the fill has let go of it (the in-flight budget).
    /// </summary>
    internal void BeginBody(PooledBody body, ObjectInfo info, Action released)
    {
        _body = body;
        _bodyReleased = released;
        _head.TrySetResult(new FillHead(FillOutcome.Streaming, info));
    }

    internal void Advance(int count)
    {
        Volatile.Write(ref _written, _written + count);
        Signal();
    }

    internal void Complete()
    {
        _completed = true;
        Signal();
    }

    internal void Fail(string error)
    {
        _error = error;
        Signal();
    }

    /// <summary>Waits until more than <paramref name="have"/> bytes are written, or the body ended or failed.</summary>
    public async ValueTask WaitBeyondAsync(long have, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Take the signal before looking at the state: a write in between completes the one taken, so no wake-up is lost.
            var more = Volatile.Read(ref _more);
            if (Written > have || _completed || _error is not null)
            {
                return;
            }

            await more.Task.WaitAsync(cancellationToken);
        }
    }

    private void Signal() => Interlocked.Exchange(ref _more, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
