using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using TranscodeFarm.Core.Assets;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Edge.Origins;

/// <summary>
/// An upstream HTTP origin: another edge (a shield tier; it then sees <see cref="EdgeHeaders.Credential"/>) or any HTTP
/// server. <c>/vod/{key}</c> is fetched from <c>{baseUrl}{key}</c>.
/// </summary>
public sealed class HttpOrigin(HttpClient client, Uri baseUrl, string credential, TimeSpan timeout) : IEdgeOrigin
{
    public string Describe => "http origin " + baseUrl.GetLeftPart(UriPartial.Path);

    public bool IsFarmStore => false;

    /// <summary>A client for one origin: pooled keep-alive connections, no redirects, no cookies, no decompression.</summary>
    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
        MaxConnectionsPerServer = 1024,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    public async Task<OriginResponse> FetchAsync(string key, OriginRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, key));
        if (credential.Length > 0)
        {
            message.Headers.TryAddWithoutValidation(EdgeHeaders.Credential, credential);
        }

        if (request.AssetChangeSeq > 0)
        {
            message.Headers.TryAddWithoutValidation(EdgeHeaders.AssetChangeSeq, request.AssetChangeSeq.ToString(CultureInfo.InvariantCulture));
        }

        if (request.IfNoneMatch is { Length: > 0 } etag)
        {
            message.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }

        if (request.Range is { } range)
        {
            message.Headers.Range = new RangeHeaderValue(range.From, range.To);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return OriginResponse.Failed(OriginError.Timeout, $"{Describe} did not answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            return OriginResponse.Failed(OriginError.Unreachable, $"{Describe}: {ex.Message}");
        }

        var keep = false;
        try
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.NotModified:
                    return OriginResponse.NotModified(null);
                case HttpStatusCode.NotFound or HttpStatusCode.Gone:
                    return OriginResponse.NotFound;
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    return OriginResponse.Failed(OriginError.Refused, $"{Describe} refused the edge: {(int)response.StatusCode}");
                case >= HttpStatusCode.InternalServerError:
                    return OriginResponse.Failed(OriginError.ServerError, $"{Describe} answered {(int)response.StatusCode}");
                case HttpStatusCode.OK or HttpStatusCode.PartialContent:
                    break;
                default:
                    return OriginResponse.Failed(OriginError.Protocol, $"{Describe} answered {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength is not { } length)
            {
                return OriginResponse.Failed(OriginError.Protocol, $"{Describe} sent {key} without a Content-Length");
            }

            if (request.Range is { } asked && (response.StatusCode != HttpStatusCode.PartialContent
                || response.Content.Headers.ContentRange is not { From: { } from, To: { } to } || from != asked.From || to != asked.To))
            {
                // A slice is cached as the bytes it names: a whole body, or other bytes, must never be stored in its place.
                return OriginResponse.Failed(OriginError.Protocol, $"{Describe} did not answer the byte range {asked.From}-{asked.To} of {key} as asked");
            }

            var info = new ObjectInfo(
                key,
                request.Range is null ? length : response.Content.Headers.ContentRange?.Length ?? length,
                response.Headers.ETag?.ToString() ?? "",
                response.Content.Headers.ContentType?.ToString() ?? MediaTypes.ForFile(key),
                response.Headers.CacheControl?.ToString() ?? MediaTypes.CacheControlFor(key),
                response.Content.Headers.LastModified ?? DateTimeOffset.UnixEpoch);
            var seq = response.Headers.TryGetValues(EdgeHeaders.AssetChangeSeq, out var values)
                && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
            var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            keep = true;
            return OriginResponse.Ok(info, body, seq, response);
        }
        finally
        {
            if (!keep)
            {
                response.Dispose();
            }
        }
    }
}
