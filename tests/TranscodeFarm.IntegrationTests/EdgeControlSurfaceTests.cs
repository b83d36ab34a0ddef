using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// Issue 12 item 7 on a running edge: /api/match needs a token unless opened, the control surfaces (/api, /admin) answer
/// only their own host names and never a page of another site, and never grant CORS (media keeps it).
/// </summary>
public sealed class EdgeControlSurfaceTests
{
    private const string Admin = "admin-token-0123456789";
    private const string MatchOnly = "match-token-0123456789";

    private static async Task<HttpResponseMessage> SendAsync(EdgeProcess edge, HttpMethod method, string path, string? token = null,
        string? host = null, IReadOnlyDictionary<string, string>? headers = null, HttpContent? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (host is not null)
        {
            request.Headers.Host = host;
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await edge.Http.SendAsync(request);
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("error").GetString()!;
    }

    [Fact]
    public async Task Match_needs_a_token_and_refuses_other_hosts_and_other_sites()
    {
        await using var edge = new EdgeProcess();
        await edge.StartAsync(null, new Dictionary<string, string>
        {
            ["Edge:AdminToken"] = Admin,
            ["Edge:MatchApiToken"] = MatchOnly,
            ["Edge:MaxMatchUploadBytes"] = "1000",
        });
        const string asset = "/api/match/assets/nope";

        // No token, a wrong one: 401 from a loopback client too (behind a local proxy everyone is loopback).
        using (var none = await SendAsync(edge, HttpMethod.Post, "/api/match", body: new ByteArrayContent(new byte[10])))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Contains("Edge:AdminToken", await ErrorAsync(none));
            Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(edge, HttpMethod.Get, asset, token: "wrong-token-0123456789")).StatusCode);

        // The admin token and the match-only token open it (404: past every check, no such asset); the match token cannot purge.
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(edge, HttpMethod.Get, asset, token: Admin)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(edge, HttpMethod.Get, asset, token: MatchOnly)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(edge, HttpMethod.Post, "/admin/purge?path=a/x.m4s", token: MatchOnly)).StatusCode);

        // The Host must be one of the edge's own names: the default allows the loopback names (any port).
        foreach (var path in new[] { asset, "/admin/purge?path=a/x.m4s" })
        {
            var method = path.StartsWith("/admin", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get;
            using var wrongHost = await SendAsync(edge, method, path, token: Admin, host: "evil.example");
            Assert.Equal(HttpStatusCode.MisdirectedRequest, wrongHost.StatusCode);
            Assert.Contains("Edge:AllowedHosts", await ErrorAsync(wrongHost));
            using var crossSite = await SendAsync(edge, method, path, token: Admin, headers: new Dictionary<string, string> { ["Origin"] = "https://evil.example" });
            Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
            Assert.Contains("https://evil.example", await ErrorAsync(crossSite));
            Assert.False(crossSite.Headers.Contains("Access-Control-Allow-Origin"));
            using var fetchSite = await SendAsync(edge, method, path, token: Admin, headers: new Dictionary<string, string> { ["Sec-Fetch-Site"] = "cross-site" });
            Assert.Equal(HttpStatusCode.Forbidden, fetchSite.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(edge, HttpMethod.Get, asset, token: Admin, host: $"localhost:{edge.Port}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(edge, HttpMethod.Get, asset, token: Admin,
            headers: new Dictionary<string, string> { ["Origin"] = edge.BaseUrl, ["Sec-Fetch-Site"] = "same-origin" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(edge, HttpMethod.Post, "/admin/purge?path=a/x.m4s", token: Admin)).StatusCode);

        // The upload cap answers before a byte is decoded.
        using (var large = await SendAsync(edge, HttpMethod.Post, "/api/match", token: Admin, body: new ByteArrayContent(new byte[5000])))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
            Assert.Contains("Edge:MaxMatchUploadBytes", await ErrorAsync(large));
        }

        var metrics = await edge.MetricsAsync();
        Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_edge_control_refusals_total{reason=\"host\"}") >= 2, metrics);
        Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_edge_control_refusals_total{reason=\"cross_site\"}") >= 4, metrics);
    }

    [Fact]
    public async Task Open_match_answers_a_loopback_caller_without_a_token_but_still_no_other_site()
    {
        await using var edge = new EdgeProcess();
        await edge.StartAsync(null, new Dictionary<string, string> { ["Edge:OpenMatch"] = "true" });
        Assert.Contains("Edge:OpenMatch=true", edge.Output);

        using (var body = new StreamContent(File.OpenRead(await TestMedia.ClipAsync(160, 120, 2))))
        {
            using var response = await SendAsync(edge, HttpMethod.Post, "/api/match?name=clip.mp4", body: body);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("clip.mp4", report.RootElement.GetProperty("query").GetProperty("name").GetString());
            Assert.Equal(0, report.RootElement.GetProperty("matches").GetArrayLength());
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(edge, HttpMethod.Get, "/api/match/assets/nope",
            headers: new Dictionary<string, string> { ["Origin"] = "https://evil.example" })).StatusCode);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, (await SendAsync(edge, HttpMethod.Get, "/api/match/assets/nope", host: "evil.example")).StatusCode);
    }

    [Fact]
    public async Task Allowed_hosts_replace_the_default_and_a_bad_entry_stops_the_edge()
    {
        await using (var edge = new EdgeProcess())
        {
            await edge.StartAsync(null, new Dictionary<string, string> { ["Edge:AdminToken"] = Admin, ["Edge:AllowedHosts"] = "edge.example.com, admin.internal" });
            Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(edge, HttpMethod.Get, "/api/match/assets/nope", token: Admin, host: "edge.example.com")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(edge, HttpMethod.Get, "/api/match/assets/nope", token: Admin, host: "ADMIN.internal:8443")).StatusCode);
            Assert.Equal(HttpStatusCode.MisdirectedRequest, (await SendAsync(edge, HttpMethod.Get, "/api/match/assets/nope", token: Admin)).StatusCode);
            // Media answers any host name: players reach an edge by whatever name the CDN gives it.
            Assert.NotEqual(HttpStatusCode.MisdirectedRequest, (await SendAsync(edge, HttpMethod.Get, "/vod/nope/master.m3u8", host: "cdn.example.net")).StatusCode);
        }

        await using var bad = new EdgeProcess();
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => bad.StartAsync(null, new Dictionary<string, string> { ["Edge:AllowedHosts"] = "https://edge.example.com/" }));
        Assert.Contains("Edge:AllowedHosts", failure.Message);
    }

    [Fact]
    public async Task Control_surfaces_grant_no_cors_while_media_keeps_it()
    {
        var origin = new CountingOrigin();
        await using var _ = origin;
        await origin.StartAsync();
        origin.Put("a1/seg-0-00001.m4s", new byte[1000]);
        await using var edge = new EdgeProcess();
        await edge.StartAsync(origin.BaseUrl, new Dictionary<string, string> { ["Edge:AdminToken"] = Admin });

        var player = new Dictionary<string, string> { ["Origin"] = "https://player.example" };
        foreach (var (path, method) in new[] { ("/admin/purge", "POST"), ("/api/match", "POST"), ("/api/match/assets/a1", "GET") })
        {
            // A preflight from a page, and one that only asks (no Origin): neither gets a grant.
            var preflight = new Dictionary<string, string>(player) { ["Access-Control-Request-Method"] = method, ["Access-Control-Request-Headers"] = "authorization" };
            using var fromPage = await SendAsync(edge, HttpMethod.Options, path, headers: preflight);
            Assert.False(fromPage.IsSuccessStatusCode, $"{path}: {(int)fromPage.StatusCode}");
            Assert.DoesNotContain(fromPage.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
            using var bare = await SendAsync(edge, HttpMethod.Options, path, headers: new Dictionary<string, string> { ["Access-Control-Request-Method"] = method });
            Assert.DoesNotContain(bare.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        }

        using (var purge = await SendAsync(edge, HttpMethod.Post, "/admin/purge?path=a1/seg-0-00001.m4s", token: Admin))
        {
            Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
            Assert.False(purge.Headers.Contains("Access-Control-Allow-Origin"));
        }

        using (var preflight = await SendAsync(edge, HttpMethod.Options, "/vod/a1/seg-0-00001.m4s", headers: new Dictionary<string, string>(player) { ["Access-Control-Request-Method"] = "GET" }))
        {
            Assert.Equal("*", preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        }

        using var media = await SendAsync(edge, HttpMethod.Get, "/vod/a1/seg-0-00001.m4s", headers: player);
        Assert.Equal(HttpStatusCode.OK, media.StatusCode);
        Assert.Equal("*", media.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
