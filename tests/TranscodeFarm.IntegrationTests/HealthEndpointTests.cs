using System.Diagnostics;
using System.Net;
using System.Text.Json;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>Issue 12 item 8 on running hosts: /healthz answers from background checks, names each one, and says which failed.</summary>
public sealed class HealthEndpointTests
{
    private static readonly Dictionary<string, string> Fast = new() { ["Health:Interval"] = "00:00:00.300", ["Health:Timeout"] = "00:00:02" };

    private static async Task<(HttpStatusCode Status, JsonElement Body)> HealthAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }

    /// <summary>Polls /healthz until it answers <paramref name="status"/> after every check has run once.</summary>
    private static async Task<JsonElement> WaitForAsync(HttpClient http, HttpStatusCode status, string output)
    {
        var clock = Stopwatch.StartNew();
        (HttpStatusCode Status, JsonElement Body) last;
        do
        {
            last = await HealthAsync(http);
            if (last.Status == status && last.Body.GetProperty("checks").EnumerateObject().All(c => c.Value.GetProperty("checkedAgoSeconds").ValueKind == JsonValueKind.Number))
            {
                return last.Body;
            }

            await Task.Delay(100);
        }
        while (clock.Elapsed < TimeSpan.FromSeconds(20));

        throw new TimeoutException($"/healthz stayed {(int)last.Status}: {last.Body}\n{output}");
    }

    private static void AssertCheck(JsonElement body, string name, string status)
    {
        var check = body.GetProperty("checks").GetProperty(name);
        Assert.True(check.GetProperty("status").GetString() == status, body.ToString());
        Assert.False(string.IsNullOrEmpty(check.GetProperty("reason").GetString()));
        Assert.InRange(check.GetProperty("checkedAgoSeconds").GetDouble(), 0, 10);
    }

    [Fact]
    public async Task Edge_healthz_names_each_check_and_turns_503_naming_the_store_when_its_folder_is_gone()
    {
        await using var edge = new EdgeProcess();
        await edge.StartAsync(null, Fast);
        var healthy = await WaitForAsync(edge.Http, HttpStatusCode.OK, edge.Output);
        Assert.Equal("healthy", healthy.GetProperty("status").GetString());
        Assert.Equal(["database", "store"], healthy.GetProperty("checks").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        AssertCheck(healthy, "store", "healthy");
        AssertCheck(healthy, "database", "healthy");

        var store = Path.Combine(edge.DataDirectory, "store");
        Directory.Move(store, store + ".away");
        var down = await WaitForAsync(edge.Http, HttpStatusCode.ServiceUnavailable, edge.Output);
        Assert.Equal("unhealthy", down.GetProperty("status").GetString());
        AssertCheck(down, "store", "unhealthy");
        AssertCheck(down, "database", "healthy");
        Assert.Contains("object store unreachable", down.GetProperty("checks").GetProperty("store").GetProperty("reason").GetString());
        Assert.Contains("Health check store: unhealthy", edge.Output); // logged once, when it changed

        Directory.Move(store + ".away", store);
        await WaitForAsync(edge.Http, HttpStatusCode.OK, edge.Output);
    }

    [Fact]
    public async Task Healthz_is_503_naming_the_store_when_the_s3_endpoint_is_down()
    {
        await using var edge = new EdgeProcess();
        await edge.StartAsync(null, new Dictionary<string, string>(Fast)
        {
            ["Store:Url"] = "s3://nobody-home/vod/",
            ["Store:ServiceUrl"] = $"http://127.0.0.1:{Tools.FreePort()}",
            ["Store:AccessKey"] = "test-access-key",
            ["Store:SecretKey"] = "test-secret-key-not-logged",
        }, queueUrl: await TestPostgres.CreateDatabaseAsync()); // an edge on an S3 store needs the farm's queue (decision 020)
        var down = await WaitForAsync(edge.Http, HttpStatusCode.ServiceUnavailable, edge.Output);
        AssertCheck(down, "store", "unhealthy");
        AssertCheck(down, "database", "healthy");
        Assert.DoesNotContain("test-secret-key-not-logged", down.ToString());
        Assert.DoesNotContain("test-secret-key-not-logged", edge.Output);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_host_kind_answers_the_same_healthz(bool workerOnly)
    {
        await using var farm = new FarmProcess();
        await farm.StartAsync(Fast.ToDictionary(kv => "TRANSCODEFARM__" + kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value), workerOnly: workerOnly);
        var body = await WaitForAsync(farm.Http, HttpStatusCode.OK, farm.Output);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        AssertCheck(body, "store", "healthy");
        AssertCheck(body, "database", "healthy");
    }
}
