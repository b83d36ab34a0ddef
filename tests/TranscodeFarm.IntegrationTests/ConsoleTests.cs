using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.IntegrationTests.Infrastructure;
using TranscodeFarm.Queue;
using Xunit.Abstractions;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// A farm (`transcodefarm run`) with an admin token, seeded with jobs in every state by a stand-in worker that holds a
/// capability of its own that the farm's worker lacks, so they stay where the test puts them.
/// </summary>
public sealed class ConsoleFarm : IAsyncLifetime
{
    public const string Admin = "console-admin-token-0123456789";
    public const string SeedWorker = "console-seed";

    private static string Capability(string tag, string state) => $"console:{tag}-{state}";

    public FarmProcess Farm { get; } = new();

    public Task InitializeAsync() => Farm.StartAsync(new Dictionary<string, string> { ["TRANSCODEFARM__Edge__AdminToken"] = Admin });

    public async Task DisposeAsync() => await Farm.DisposeAsync();

    /// <summary>One job in each state but succeeded (a real encode gives that one); keys are the states' wire names.</summary>
    public async Task<Dictionary<string, string>> SeedAsync(string tag)
    {
        var q = Farm.Queue;
        var ct = CancellationToken.None;
        var ids = new Dictionary<string, string>();
        // Each job needs a capability of its own, so the stand-in worker claims exactly the one it means to.
        async Task<string> SubmitAsync(string state, string name, int attempts = 3) => (await q.SubmitAsync(new JobRequest
        {
            SourcePath = "/nonexistent/" + name, SourceName = name, ContentHash = $"{tag}-{name}", Profile = "test-tiny",
            Origin = JobOrigin.DropFolder, RequiredCapability = Capability(tag, state), MaxAttempts = attempts,
        }, ct)).Job.Id;
        async Task ClaimAsync(string state)
        {
            var claimed = await q.ClaimAsync(SeedWorker, [Capability(tag, state)], TimeSpan.FromMinutes(10), ct);
            Assert.Equal(ids[state], claimed?.Id);
        }

        ids["queued"] = await SubmitAsync("queued", $"{tag} waiting.mp4");
        ids["cancelled"] = await SubmitAsync("cancelled", $"{tag} unwanted.mp4");
        Assert.True(await q.CancelAsync(ids["cancelled"], ct));
        ids["failed"] = await SubmitAsync("failed", $"{tag} bad input.mp4");
        await ClaimAsync("failed");
        await q.FailAsync(ids["failed"], SeedWorker, "probe: not a media file the farm accepts (no video or audio stream)", retryable: false, ct);
        ids["dead"] = await SubmitAsync("dead", $"{tag} flaky store.mp4", attempts: 1);
        await ClaimAsync("dead");
        await q.FailAsync(ids["dead"], SeedWorker, "store: upload of seg-0-00001.m4s failed: 503 Slow Down\nrequest id tx000 (retry later)", retryable: true, ct);
        ids["running"] = await SubmitAsync("running", $"{tag} encoding.mp4");
        await ClaimAsync("running");
        await q.ReportProgressAsync(ids["running"], SeedWorker, new JobProgress(PipelineStage.Encode, 0.05, 1.0), ct);
        foreach (var (state, id) in ids)
        {
            Assert.Equal(state, (await q.GetAsync(id, ct))!.State.ToWire());
        }

        return ids;
    }
}

/// <summary>
/// The web console (decision 035) in headless Chromium (tests/browser/console.mjs): sign-in, every page with no console
/// errors, jobs in every state, live progress, retry and cancel through the buttons, the preview player in both
/// libraries, a phone's width; and, with a plain HttpClient, the CSRF and cross-site refusals. Screenshots are kept in
/// TestResults/console-screenshots (the test prints the folder).
/// </summary>
public sealed class ConsoleTests(ConsoleFarm fixture, ITestOutputHelper output) : IClassFixture<ConsoleFarm>
{
    private FarmProcess Farm => fixture.Farm;

    [Fact]
    public async Task The_console_shows_every_state_live_progress_retry_cancel_and_plays_an_asset()
    {
        var seeded = await fixture.SeedAsync("ui");
        var broken = Path.Combine(Path.GetTempPath(), $"console-broken-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(broken, new byte[4096]);
        Farm.Drop(broken, "console broken.mp4");
        await FarmProcess.WaitForFileAsync(Path.Combine(Farm.DropFolder, "failed", "console broken.mp4.error.json"));
        var clip = await TestMedia.ClipAsync(320, 240, 4);
        // A ClearKey-encrypted asset for the player: the sidecar asks for it.
        await File.WriteAllTextAsync(Path.Combine(Farm.DropFolder, "console drm.json"), "{\"drm\": {\"scheme\": \"cbcs\", \"systems\": [\"clearkey\"]}}");
        Farm.Drop(clip, "console drm.mp4");

        using var pump = new CancellationTokenSource();
        var progress = PumpProgressAsync(seeded["running"], pump.Token);
        var screenshots = Path.Combine(BrowserPlaybackTests.RepositoryRoot(), "TestResults", "console-screenshots");
        output.WriteLine($"screenshots: {screenshots}");
        var browser = RunConsoleAsync(seeded, screenshots, clip: "console clip.mp4");
        await Task.Delay(TimeSpan.FromSeconds(4)); // the browser is on the jobs page when the clip arrives
        Farm.Drop(clip, "console clip.mp4");
        var result = await browser;
        await pump.CancelAsync();
        await progress;
        output.WriteLine(result.ToString());

        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        // The one error expected: Chromium logs the 401 of the sign-in with a wrong token.
        Assert.DoesNotContain(result.GetProperty("consoleErrors").EnumerateArray().Select(e => e.GetString()!),
            e => !e.StartsWith("signin-refused: Failed to load resource: the server responded with a status of 401", StringComparison.Ordinal));
        Assert.Empty(result.GetProperty("blocked").EnumerateArray());
        var steps = result.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s);

        Assert.Contains("/console/signin", steps["redirected to sign-in"].GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Equal(401, steps["wrong token"].GetProperty("status").GetInt32());
        Assert.Contains("not this host's admin token", steps["wrong token"].GetProperty("error").GetString(), StringComparison.Ordinal);
        foreach (var (state, _) in seeded)
        {
            Assert.Equal(state, steps["seeded states shown"].GetProperty("states").GetProperty(state).GetString());
        }

        Assert.True(steps["progress seen"].GetProperty("fractions").GetArrayLength() >= 3, "the running job's progress did not move on the page");
        Assert.Contains("succeeded", steps["dropped clip seen"].GetProperty("states").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("cancelled", steps["cancel and retry"].GetProperty("cancelled").GetString());
        Assert.Equal("queued", steps["cancel and retry"].GetProperty("retried").GetString());
        Assert.Equal(JobState.Cancelled, (await Farm.Queue.GetAsync(seeded["queued"], default))!.State);
        var retried = (await Farm.Queue.GetAsync(seeded["failed"], default))!;
        Assert.Equal((JobState.Queued, 0), (retried.State, retried.Attempts));

        var kept = steps["focus kept"];
        Assert.True(kept.GetProperty("redrawn").GetBoolean(), "no live update while the focus was on a button");
        Assert.Equal(kept.GetProperty("expected").GetString(), kept.GetProperty("focused").GetString());
        var focus = steps["keyboard"].GetProperty("focus");
        Assert.Equal("Skip to content", focus.GetProperty("text").GetString());
        Assert.NotEqual("none", focus.GetProperty("outline").GetString());
        Assert.Contains("503 Slow Down", steps["job page"].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains(steps["workers"].GetProperty("rows").EnumerateArray(), r => r.GetString()!.Contains("alive", StringComparison.Ordinal));
        Assert.Contains(steps["drop"].GetProperty("rows").EnumerateArray(), r => r.GetString()!.Contains("console broken.mp4", StringComparison.Ordinal));
        foreach (var player in new[] { "hlsjs", "shaka-dash" })
        {
            var played = steps["player"].GetProperty("playback").GetProperty(player);
            Assert.True(played.GetProperty("currentTime").ValueKind == JsonValueKind.Number, $"{player} did not play: {played}");
        }

        var drm = steps["drm player"];
        Assert.Contains("cbcs (clearkey)", drm.GetProperty("text").GetString(), StringComparison.Ordinal);
        foreach (var player in new[] { "hlsjs", "shaka-dash" })
        {
            var played = drm.GetProperty("playback").GetProperty(player);
            Assert.True(played.GetProperty("currentTime").ValueKind == JsonValueKind.Number && played.GetProperty("drm").GetBoolean(), $"{player} did not play the encrypted asset: {played}");
        }

        Assert.Equal(2, steps["edge"].GetProperty("charts").GetInt32());
        Assert.True(steps["edge"].GetProperty("bars").GetInt32() > 0, "the bandwidth chart shows no traffic after playback");
        foreach (var phone in new[] { "phone", "phone asset" })
        {
            Assert.True(steps[phone].GetProperty("scrollWidth").GetInt32() <= 390, $"{phone}: the page scrolls sideways at a phone's width");
            Assert.Empty(steps[phone].GetProperty("overflowing").EnumerateArray());
        }
        Assert.True(File.Exists(Path.Combine(screenshots, "asset-player.png")));
    }

    [Fact]
    public async Task Changes_need_the_session_and_its_csrf_token_and_cross_site_requests_are_refused()
    {
        var seeded = await fixture.SeedAsync("http");
        using var anonymous = Client(out _);
        var page = await anonymous.GetAsync(new Uri("/console/jobs", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/console/signin", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/console/api/jobs", UriKind.Relative))).StatusCode);

        var refused = await anonymous.PostAsync(new Uri("/console/signin", UriKind.Relative), Form(("token", "wrong"), ("next", "/console/jobs")));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Set-Cookie"));

        using var client = Client(out var cookies);
        var signedIn = await client.PostAsync(new Uri("/console/signin", UriKind.Relative), Form(("token", ConsoleFarm.Admin), ("next", "//evil.example/")));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/console/jobs", signedIn.Headers.Location!.OriginalString);
        var setCookie = signedIn.Headers.GetValues("Set-Cookie").Single();
        foreach (var flag in new[] { "httponly", "samesite=strict", "path=/console" })
        {
            Assert.Contains(flag, setCookie, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain(ConsoleFarm.Admin, setCookie, StringComparison.Ordinal);
        var html = await client.GetStringAsync(new Uri("/console/jobs", UriKind.Relative));
        var csrf = Regex.Match(html, "<meta name=\"csrf\" content=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(csrf);
        var cancel = new Uri($"/console/api/jobs/{seeded["queued"]}/cancel", UriKind.Relative);

        // Pages and the API are never cached; the pinned players may be, so an asset page does not fetch 1.4 MB each time.
        using (var api = await client.GetAsync(new Uri("/console/api/jobs", UriKind.Relative)))
        {
            Assert.Equal("no-store", api.Headers.CacheControl?.ToString());
        }

        using (var player = await client.GetAsync(new Uri("/console/static/vendor/hls.min.js", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, player.StatusCode);
            Assert.True(player.Headers.CacheControl is { Private: true, NoStore: false, MaxAge: not null }, player.Headers.CacheControl?.ToString());
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync(cancel, null)).StatusCode); // no CSRF token
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(client, cancel, ("X-Console-Csrf", csrf[..^2] + "xx"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(client, cancel, ("X-Console-Csrf", csrf), ("Origin", "http://evil.example"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(client, cancel, ("X-Console-Csrf", csrf), ("Sec-Fetch-Site", "cross-site"))).StatusCode);
        Assert.Equal(JobState.Queued, (await Farm.Queue.GetAsync(seeded["queued"], default))!.State);

        var done = await SendAsync(client, cancel, ("X-Console-Csrf", csrf), ("Origin", Farm.BaseUrl), ("Sec-Fetch-Site", "same-origin"));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(JobState.Cancelled, (await Farm.Queue.GetAsync(seeded["queued"], default))!.State);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(client, cancel, ("X-Console-Csrf", csrf))).StatusCode); // nothing left to cancel

        // The cookie of one admin token is not a bearer for /admin: one scheme, but a cookie never opens the admin API.
        var purge = await client.PostAsync(new Uri("/admin/purge?prefix=x/", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Unauthorized, purge.StatusCode);
        Assert.NotEmpty(cookies.GetCookies(new Uri(Farm.BaseUrl + "/console/")));

        // Signing out is a change too: it needs the CSRF token, then the cookie goes.
        var signOut = new Uri("/console/signout", UriKind.Relative);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync(signOut, Form(("csrf", "forged")))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync(signOut, Form(("csrf", csrf)))).StatusCode);
        Assert.Empty(cookies.GetCookies(new Uri(Farm.BaseUrl + "/console/")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/console/api/jobs", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_farm_edge_host_serves_the_console_from_the_job_database_and_without_an_admin_token_it_stays_closed()
    {
        var seeded = await fixture.SeedAsync("edge");
        // `transcodefarm edge` on the farm's database and store: another host, the same jobs and workers.
        await using var edge = new EdgeProcess(Farm.DataDirectory);
        await edge.StartAsync(null, new Dictionary<string, string> { ["Edge:AdminToken"] = ConsoleFarm.Admin });
        using var client = Client(out _, edge.BaseUrl);
        var signedIn = await client.PostAsync(new Uri("/console/signin", UriKind.Relative), Form(("token", ConsoleFarm.Admin), ("next", "/console/workers")));
        Assert.Equal("/console/workers", signedIn.Headers.Location!.OriginalString);
        var jobs = await client.GetStringAsync(new Uri("/console/api/jobs?state=dead", UriKind.Relative));
        Assert.Contains(seeded["dead"], jobs, StringComparison.Ordinal);
        Assert.DoesNotContain(seeded["failed"], jobs, StringComparison.Ordinal);
        using var workers = JsonDocument.Parse(await client.GetStringAsync(new Uri("/console/api/workers", UriKind.Relative)));
        Assert.Contains(workers.RootElement.GetProperty("workers").EnumerateArray(), w => w.GetProperty("alive").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(new Uri("/console/api/jobs?state=3", UriKind.Relative))).StatusCode);

        await using var closed = new EdgeProcess(Farm.DataDirectory);
        await closed.StartAsync(null);
        using var stranger = Client(out _, closed.BaseUrl);
        Assert.Contains("off until Edge:AdminToken is set", await stranger.GetStringAsync(new Uri("/console/signin", UriKind.Relative)), StringComparison.Ordinal);
        var empty = await stranger.PostAsync(new Uri("/console/signin", UriKind.Relative), Form(("token", ""), ("next", "/console/jobs")));
        Assert.Equal(HttpStatusCode.Forbidden, empty.StatusCode);
        Assert.False(empty.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync(new Uri("/console/api/jobs", UriKind.Relative))).StatusCode);
    }

    private HttpClient Client(out CookieContainer cookies, string? baseUrl = null)
    {
        cookies = new CookieContainer();
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl ?? Farm.BaseUrl) };
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Uri uri, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request);
    }

    /// <summary>The stand-in worker reports its job's progress as a worker does, so the page has something to follow.</summary>
    private async Task PumpProgressAsync(string jobId, CancellationToken cancellationToken)
    {
        var fraction = 0.05;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                fraction = fraction >= 0.9 ? 0.1 : fraction + 0.1;
                await Farm.Queue.ReportProgressAsync(jobId, ConsoleFarm.SeedWorker, new JobProgress(PipelineStage.Encode, Math.Round(fraction, 2), 1.0), CancellationToken.None);
                await Task.Delay(600, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // the browser is done
        }
    }

    private async Task<JsonElement> RunConsoleAsync(Dictionary<string, string> seeded, string screenshots, string clip)
    {
        var harness = Path.Combine(BrowserPlaybackTests.RepositoryRoot(), "tests", "browser");
        Assert.True(Directory.Exists(Path.Combine(harness, "node_modules")), "the browser harness is not installed: run scripts/browser-deps.sh");
        var run = await Tools.RunAsync("node", [Path.Combine(harness, "console.mjs"), "--base", Farm.BaseUrl, "--token", ConsoleFarm.Admin, "--out", screenshots,
            "--seeded", JsonSerializer.Serialize(seeded), "--progress-job", seeded["running"], "--retry-job", seeded["failed"], "--cancel-job", seeded["queued"],
            "--clip", clip, "--drm-clip", "console drm.mp4", "--timeout", "90"], timeout: TimeSpan.FromSeconds(110));
        var line = run.Stdout.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        Assert.True(line is not null, $"console harness failed (exit {run.ExitCode}): {run.Stdout}\n{run.Stderr}\n{Farm.Output[^Math.Min(4000, Farm.Output.Length)..]}");
        if (run.ExitCode != 0)
        {
            output.WriteLine(run.Stderr);
        }

        return JsonDocument.Parse(line).RootElement.Clone();
    }
}
