using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TranscodeFarm.IntegrationTests.Infrastructure;

/// <summary>
/// A real HTTP origin (Kestrel on 127.0.0.1) for edge tests: serves objects from memory, counts every fetch, and can be
/// slowed (before the headers, between body chunks), made to hang, or stopped and started again on the same port.
/// </summary>
public sealed class CountingOrigin : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (byte[] Body, string Type, string ETag)> _objects = new();
    private readonly ConcurrentDictionary<string, int> _fetches = new();
    private readonly ConcurrentDictionary<string, int> _conditional = new();
    private readonly ConcurrentQueue<(string Key, string Range)> _ranges = new();
    private WebApplication? _app;

    public CountingOrigin() => Port = Tools.FreePort();

    public int Port { get; }

    /// <summary>The base URL an edge's Edge:Origin points at.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}/";

    public TimeSpan HeaderDelay { get; set; }

    public TimeSpan ChunkDelay { get; set; }

    public bool Hang { get; set; }

    /// <summary>Answer every request with the whole object (200), as an origin without range support does.</summary>
    public bool IgnoreRanges { get; set; }

    public void Put(string key, byte[] body, string contentType = "video/iso.segment") =>
        _objects[key] = (body, contentType, $"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body))[..16]}\"");

    public int Fetches(string key) => _fetches.GetValueOrDefault(key);

    public int ConditionalFetches(string key) => _conditional.GetValueOrDefault(key);

    public int TotalFetches => _fetches.Values.Sum();

    /// <summary>The Range headers asked for <paramref name="key"/>, in arrival order (e.g. "bytes=0-1023").</summary>
    public IReadOnlyList<string> Ranges(string key) => _ranges.Where(r => r.Key == key).Select(r => r.Range).ToList();

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(BaseUrl.TrimEnd('/'));
        _app = builder.Build();
        _app.MapGet("/{**key}", ServeAsync);
        await _app.StartAsync();
    }

    /// <summary>Kills the origin: the port refuses connections until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await app.StopAsync(grace.Token);
            await app.DisposeAsync();
        }
    }

    private async Task ServeAsync(HttpContext context, string key)
    {
        _fetches.AddOrUpdate(key, 1, (_, n) => n + 1);
        if (!_objects.TryGetValue(key, out var o))
        {
            context.Response.StatusCode = 404;
            return;
        }

        // Counted on arrival, like every fetch: a test must not see the fetch and miss that it was conditional.
        var etag = context.Request.Headers.IfNoneMatch.ToString();
        if (etag.Length > 0)
        {
            _conditional.AddOrUpdate(key, 1, (_, n) => n + 1);
        }

        var token = context.RequestAborted;
        await Task.Delay(HeaderDelay, token);
        while (Hang)
        {
            await Task.Delay(50, token);
        }

        if (etag.Length > 0)
        {
            if (etag == o.ETag)
            {
                context.Response.StatusCode = 304;
                context.Response.Headers.ETag = o.ETag;
                return;
            }
        }

        context.Response.ContentType = o.Type;
        context.Response.Headers.ETag = o.ETag;
        context.Response.Headers.LastModified = DateTimeOffset.UnixEpoch.AddDays(20000).ToString("R", CultureInfo.InvariantCulture);
        var (from, length) = (0, o.Body.Length);
        var range = context.Request.Headers.Range.ToString();
        if (range.Length > 0)
        {
            _ranges.Enqueue((key, range));
        }

        if (range.Length > 6 && range.StartsWith("bytes=", StringComparison.Ordinal) && !IgnoreRanges)
        {
            var parts = range[6..].Split('-');
            from = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var to = Math.Min(int.Parse(parts[1], CultureInfo.InvariantCulture), o.Body.Length - 1);
            length = to - from + 1;
            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {from}-{to}/{o.Body.Length}";
        }

        context.Response.ContentLength = length;
        const int chunk = 64 * 1024;
        for (var sent = 0; sent < length; sent += chunk)
        {
            await context.Response.Body.WriteAsync(o.Body.AsMemory(from + sent, Math.Min(chunk, length - sent)), token);
            await context.Response.Body.FlushAsync(token);
            if (ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(ChunkDelay, token);
            }
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
