using TranscodeFarm.Edge.Origins;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Edge.Caching;

public enum FillOutcome
{
    /// <summary>The body is arriving into <see cref="ObjectFill.Buffer"/>: stream it as it grows.</summary>
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
/// </summary>
public sealed class ObjectFill(string key)
{
    private readonly TaskCompletionSource<FillHead> _head = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _more = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _buffer = [];
    private int _written;
    private volatile bool _completed;
    private volatile string? _error;
    private volatile bool _discarded;

    public string Key { get; } = key;

    public Task<FillHead> Head => _head.Task;

    public byte[] Buffer => _buffer;

    public int Written => Volatile.Read(ref _written);

    public bool Completed => _completed;

    /// <summary>Why the body stopped short; the waiters' connections are aborted (their headers already promised a length).</summary>
    public string? Error => _error;

    /// <summary>A purge came while fetching: the result is served to those already waiting but never cached.</summary>
    public bool Discarded => _discarded;

    public void Discard() => _discarded = true;

    internal void Answer(FillHead head) => _head.TrySetResult(head);

    internal void BeginBody(byte[] buffer, ObjectInfo info)
    {
        _buffer = buffer;
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
    public async ValueTask WaitBeyondAsync(int have, CancellationToken cancellationToken)
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
