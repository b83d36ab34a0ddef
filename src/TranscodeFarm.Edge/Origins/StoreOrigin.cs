using TranscodeFarm.Storage;

namespace TranscodeFarm.Edge.Origins;

/// <summary>
/// The farm's object store as the origin. It uses the store without the worker's retry budget (up to ~25 s): a player
/// waits <paramref name="timeout"/> at most, then gets stale content or a 504.
/// </summary>
public sealed class StoreOrigin(IObjectStore store, TimeSpan timeout) : IEdgeOrigin
{
    private readonly IObjectStore _store = store is ResilientObjectStore resilient ? resilient.Inner : store;

    public string Describe => "store " + _store.Describe;

    public bool IsFarmStore => true;

    public async Task<OriginResponse> FetchAsync(string key, OriginRequest request, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            if (request.IfNoneMatch is { } etag)
            {
                // A store GET has no condition: HEAD first, since the answer is nearly always "unchanged" for a manifest.
                var head = await _store.HeadAsync(key, deadline.Token);
                if (head is null)
                {
                    return OriginResponse.NotFound;
                }

                if (head.ETag == etag)
                {
                    return OriginResponse.NotModified(head);
                }
            }

            var content = await _store.GetAsync(key, request.Range, deadline.Token);
            return content is null ? OriginResponse.NotFound : OriginResponse.Ok(content.Info, content.Stream);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return OriginResponse.Failed(OriginError.Timeout, $"the store did not answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (ObjectStoreException ex)
        {
            return OriginResponse.Failed(ex.Retryable ? OriginError.ServerError : OriginError.Refused, ex.Message);
        }
        catch (HttpRequestException ex)
        {
            return OriginResponse.Failed(OriginError.Unreachable, ex.Message);
        }
        catch (IOException ex)
        {
            return OriginResponse.Failed(OriginError.ServerError, ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            return OriginResponse.Failed(OriginError.Refused, ex.Message);
        }
    }
}
