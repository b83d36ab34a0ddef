using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Drm;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Keys;
using TranscodeFarm.Queue;
using TranscodeFarm.Queue.Assets;
using TranscodeFarm.Storage;
using TranscodeFarm.Worker;
using TranscodeFarm.Worker.Ingest;
using TranscodeFarm.Worker.Jobs;

namespace TranscodeFarm.WebConsole;

/// <summary>The console's JSON API (<c>/console/api/*</c>), behind a signed-in session; changes also need its CSRF token.</summary>
internal static class ConsoleApi
{
    private const int JobLimit = 200;
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static async Task<IResult> JobsAsync(string? state, IJobQueue queue, CancellationToken cancellationToken)
    {
        JobState? filter = null;
        if (state is { Length: > 0 })
        {
            if (!Enum.TryParse<JobState>(state, ignoreCase: true, out var parsed) || int.TryParse(state, out _))
            {
                return Results.BadRequest(new { error = $"unknown state '{state}' (queued, running, succeeded, failed, dead, cancelled)" });
            }

            filter = parsed;
        }

        var jobs = await queue.ListAsync(filter, JobLimit, cancellationToken);
        var counts = await queue.CountByStateAsync(cancellationToken);
        return Results.Json(new
        {
            counts = Enum.GetValues<JobState>().ToDictionary(s => s.ToWire(), s => counts.TryGetValue(s, out var n) ? n : 0),
            jobs = jobs.Select(ConsoleViews.Row),
        });
    }

    public static async Task<IResult> JobAsync(string id, IJobQueue queue, CancellationToken cancellationToken) =>
        await queue.GetAsync(id, cancellationToken) is { } job
            ? Results.Json(ConsoleViews.Detail(job, await queue.EventsAsync(id, cancellationToken)))
            : Results.NotFound(new { error = $"no job '{id}'" });

    public static Task<IResult> RetryAsync(string id, JobControl control, CancellationToken cancellationToken) =>
        ControlAsync(control.RetryAsync(id, cancellationToken));

    public static Task<IResult> CancelAsync(string id, JobControl control, CancellationToken cancellationToken) =>
        ControlAsync(control.CancelAsync(id, cancellationToken));

    private static async Task<IResult> ControlAsync(Task<JobControlResult> operation)
    {
        var result = await operation;
        var body = new { ok = result.Outcome == JobControlOutcome.Done, message = result.Message, job = result.Job is { } j ? ConsoleViews.Row(j) : null };
        return result.Outcome switch
        {
            JobControlOutcome.Done => Results.Json(body),
            JobControlOutcome.NotFound => Results.Json(body, statusCode: StatusCodes.Status404NotFound),
            _ => Results.Json(body, statusCode: StatusCodes.Status409Conflict),
        };
    }

    public static async Task<IResult> WorkersAsync(IWorkerRegistry registry, IOptions<WorkerOptions> worker, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var workers = await registry.ListWorkersAsync(cancellationToken);
        return Results.Json(new { workers = workers.Select(w => ConsoleViews.Worker(w, now, worker.Value.LeaseDuration)) });
    }

    /// <summary>Assets from the asset directory, each with the job that published it (renditions, DRM, matches) and, when
    /// the edge asks for one, a playback token for the preview player (an hour; the signed-in operator may play anything).</summary>
    public static async Task<IResult> AssetsAsync(IAssetDirectory directory, IJobQueue queue, DrmSecrets secrets, TimeProvider time, CancellationToken cancellationToken)
    {
        var assets = await directory.ListAsync(null, JobLimit, cancellationToken);
        var jobs = (await queue.ListAsync(JobState.Succeeded, 1000, cancellationToken))
            .Where(j => j.Outputs is not null)
            .GroupBy(j => j.Outputs!.AssetId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var expires = time.GetUtcNow().AddHours(1);
        return Results.Json(new
        {
            players = ConsoleStatic.Players(),
            assets = assets.Select(a =>
            {
                var job = jobs.GetValueOrDefault(a.AssetId);
                var row = ConsoleViews.Asset(a, job);
                return new { row, token = a.RequireToken || row.Drm is not null ? TokenFor(a.AssetId, expires, secrets) : null };
            }),
        });
    }

    public static async Task<IResult> AssetAsync(string id, IAssetDirectory directory, IJobQueue queue, DrmSecrets secrets, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Core.Assets.ObjectKeys.IsValid(id + "/x") || await directory.GetAsync(id, cancellationToken) is not { } asset)
        {
            return Results.NotFound(new { error = $"no asset '{id}' in the job database" });
        }

        var job = (await queue.ListAsync(JobState.Succeeded, 1000, cancellationToken)).FirstOrDefault(j => j.Outputs?.AssetId == id);
        var row = ConsoleViews.Asset(asset, job);
        return Results.Json(new
        {
            players = ConsoleStatic.Players(),
            row,
            token = asset.RequireToken || row.Drm is not null ? TokenFor(id, time.GetUtcNow().AddHours(1), secrets) : null,
        });
    }

    private static string? TokenFor(string asset, DateTimeOffset expires, DrmSecrets secrets)
    {
        try
        {
            return PlaybackToken.Create(asset, expires, secrets.TokenSigningKey);
        }
        catch (InvalidOperationException)
        {
            return null; // no signing key on this host: the player page says the asset needs a token
        }
    }

    /// <summary>
    /// The failed reports of both ingest paths, newest first: the drop folder's failed/ (read without following links, each
    /// at most 64 KiB) and, when Ingest:S3Url is set, the prefix's failed/.
    /// </summary>
    public static async Task<IResult> DropFailuresAsync(IOptions<IngestOptions> ingest, FarmPaths paths, ConsoleS3Ingest s3, CancellationToken cancellationToken)
    {
        var layout = DropFolderLayout.For(ingest.Value, paths);
        var prefix = await S3FailuresAsync(s3, cancellationToken);
        if (!Directory.Exists(layout.Failed))
        {
            return Results.Json(new { folder = layout.Failed, present = false, failures = Array.Empty<object>(), s3 = prefix });
        }

        var reports = new DirectoryInfo(layout.Failed).EnumerateFiles("*.error.json")
            .Where(f => f.LinkTarget is null)
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .Take(JobLimit)
            .ToList();
        var failures = new List<object>();
        foreach (var file in reports)
        {
            var name = file.Name[..^".error.json".Length];
            var (text, unread) = await UntrustedFile.ReadSmallTextAsync(file.FullName, 64 * 1024, cancellationToken);
            var (report, refusal) = Parse(text);
            failures.Add(Failure(name, UntrustedFile.Exists(Path.Combine(layout.Failed, name)), report, unread ?? refusal, file.LastWriteTimeUtc));
        }

        return Results.Json(new { folder = layout.Failed, present = true, failures, s3 = prefix });
    }

    /// <summary>The S3 prefix's failed/ reports; its error (the store's one line) instead when it cannot be listed.</summary>
    private static async Task<object?> S3FailuresAsync(ConsoleS3Ingest s3, CancellationToken cancellationToken)
    {
        if (s3.Location is not { } location)
        {
            return null;
        }

        try
        {
            var failures = new List<object>();
            foreach (var r in await location.FailedReportsAsync(JobLimit, 64 * 1024, cancellationToken))
            {
                var (report, refusal) = Parse(r.Text);
                failures.Add(Failure(r.Name, r.SourcePresent, report, refusal, r.WrittenAt));
            }

            return new { location = location.Describe + "failed/", failures, error = (string?)null };
        }
        catch (Exception e) when (e is ObjectStoreException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new { location = location.Describe + "failed/", failures = Array.Empty<object>(), error = e.Message };
        }
    }

    private static (ErrorReport? Report, string? Refusal) Parse(string? text)
    {
        if (text is null)
        {
            return (null, "report too big or gone");
        }

        try
        {
            return (JsonSerializer.Deserialize<ErrorReport>(text, Web), null);
        }
        catch (JsonException e)
        {
            return (null, "unreadable report: " + e.Message);
        }
    }

    private static object Failure(string name, bool present, ErrorReport? report, string? refusal, DateTimeOffset written) => new
    {
        file = name,
        present,
        report?.JobId,
        state = report?.State,
        reason = report?.Reason ?? refusal,
        report?.Detail,
        report?.Profile,
        attempts = report?.Attempts,
        failedAt = report?.FailedAt ?? written,
    };

    public static IResult Edge(EdgeTraffic traffic) => Results.Json(new
    {
        intervalSeconds = EdgeTraffic.Interval.TotalSeconds,
        keptPoints = EdgeTraffic.Kept,
        totals = TranscodeFarm.Edge.EdgeMetrics.Totals(),
        points = traffic.Points(),
    });

    /// <summary>
    /// Server-sent events: the job list (as <c>/console/api/jobs</c> gives it) whenever it changes, read from the job
    /// database every half second, which is where workers report progress; a comment every 15 s keeps proxies from
    /// closing the stream. Ends after an hour (the browser reconnects, and the session is checked again) or at shutdown.
    /// </summary>
    public static async Task JobStreamAsync(HttpContext context, IJobQueue queue, IHostApplicationLifetime lifetime, TimeProvider time)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var token = linked.Token;
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers["X-Accel-Buffering"] = "no";
        var started = time.GetUtcNow();
        var lastSent = started;
        var last = "";
        try
        {
            await response.WriteAsync("retry: 2000\n\n", token);
            await response.Body.FlushAsync(token);
            while (time.GetUtcNow() - started < TimeSpan.FromHours(1))
            {
                var jobs = await queue.ListAsync(null, JobLimit, token);
                var json = JsonSerializer.Serialize(jobs.Select(ConsoleViews.Row), Web);
                if (json != last)
                {
                    await response.WriteAsync($"event: jobs\ndata: {json}\n\n", token);
                    last = json;
                    lastSent = time.GetUtcNow();
                }
                else if (time.GetUtcNow() - lastSent > TimeSpan.FromSeconds(15))
                {
                    await response.WriteAsync(": keep-alive\n\n", token);
                    lastSent = time.GetUtcNow();
                }

                await response.Body.FlushAsync(token);
                await Task.Delay(TimeSpan.FromMilliseconds(500), time, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // the page went away, or the host is stopping
        }
    }
}
