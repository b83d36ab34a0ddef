using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// The shipped alerting rules and dashboards (docker/prometheus, docker/grafana), proven: promtool checks and unit-tests
/// the rules, and a real Prometheus scraping a real farm answers every dashboard panel's query with series that carry the
/// labels the panel groups by, after a scenario that makes each thing happen (a job, a quality-gate failure, cache hits and
/// misses, a stale manifest, a purge, an edge whose parent is down).
/// </summary>
public sealed partial class MonitoringTests
{
    private static string Docker => Path.Combine(TestS3.RepositoryRoot(), "docker");

    [Fact]
    public async Task The_rules_pass_promtool_check_and_their_unit_tests()
    {
        var check = await Tools.RunAsync("promtool", ["check", "rules", Path.Combine(Docker, "prometheus", "rules.yml")]);
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        Assert.Contains("SUCCESS", check.Stdout);
        var test = await Tools.RunAsync("promtool", ["test", "rules", Path.Combine(Docker, "prometheus", "rules.test.yml")]);
        Assert.True(test.ExitCode == 0, test.Stdout + test.Stderr);

        // Every alert has a unit test, and says what to do.
        var rules = await File.ReadAllTextAsync(Path.Combine(Docker, "prometheus", "rules.yml"));
        var tests = await File.ReadAllTextAsync(Path.Combine(Docker, "prometheus", "rules.test.yml"));
        var alerts = AlertName().Matches(rules).Select(m => m.Groups[1].Value).ToList();
        Assert.True(alerts.Count >= 8, string.Join(", ", alerts));
        Assert.All(alerts, a => Assert.Contains("alertname: " + a, tests));
        Assert.Equal(alerts.Count, Regex.Matches(rules, @"^\s+description: ", RegexOptions.Multiline).Count);
    }

    [Fact]
    public async Task Every_dashboard_panel_returns_labelled_series_from_a_real_prometheus_scraping_a_real_farm()
    {
        var panels = Panels().ToList();
        Assert.True(panels.Count >= 20, $"{panels.Count} panel queries");
        Assert.All(panels, p => Assert.DoesNotContain("vector(", p.Expr)); // a constant is no evidence

        var profiles = Directory.CreateTempSubdirectory("transcodefarm-monitoring-profiles-").FullName;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "ffmpeg-profiles"), "*.json"))
        {
            File.Copy(file, Path.Combine(profiles, Path.GetFileName(file)));
        }

        await File.WriteAllTextAsync(Path.Combine(profiles, "gate-negate.json"), QualityGateTests.Profile("gate-negate", "negate", null));
        const string admin = "monitoring-admin-token-0123456789";
        await using var farm = new FarmProcess();
        await farm.StartAsync(new Dictionary<string, string>
        {
            ["TRANSCODEFARM__Farm__ProfilesDirectory"] = profiles,
            ["TRANSCODEFARM__Edge__ManifestTtl"] = "00:00:01",
            ["TRANSCODEFARM__Edge__AdminToken"] = admin,
        });
        // Two child edges: one behind the farm's edge (a shield tier, where root manifests are mutable and go stale after
        // their 1 s TTL), one whose parent is not there.
        await using var child = new EdgeProcess();
        await child.StartAsync(farm.BaseUrl + "/vod/", new Dictionary<string, string> { ["Edge:ManifestTtl"] = "00:00:01" });
        await using var orphan = new EdgeProcess();
        await orphan.StartAsync($"http://127.0.0.1:{Tools.FreePort()}/vod/");
        await using var prometheus = new PrometheusProcess();
        await prometheus.StartAsync([$"127.0.0.1:{farm.Port}", $"127.0.0.1:{child.Port}", $"127.0.0.1:{orphan.Port}"], Path.Combine(Docker, "prometheus", "rules.yml"));

        // A published job and a quality-gate failure.
        farm.Drop(await TestMedia.ClipAsync(320, 240, 3, extra: "-metadata comment=monitoring"), "good.mp4");
        await File.WriteAllTextAsync(Path.Combine(farm.DropFolder, "negated.json"), """{"profile": "gate-negate"}""");
        farm.Drop(await TestMedia.ClipAsync(320, 240, 3, extra: "-metadata comment=negated"), "negated.mp4");
        var good = await farm.WaitForJobAsync("good.mp4", TimeSpan.FromMinutes(3));
        Assert.True(good.State == JobState.Succeeded, good.Error);
        var negated = await farm.WaitForJobAsync("negated.mp4", TimeSpan.FromMinutes(3));
        Assert.Contains("qc", negated.Error ?? "");

        // Playback through the edges: misses, hits, and on the child a stale root manifest after its 1 s TTL.
        var segment = Directory.EnumerateFiles(farm.AssetFolder(good.Id), "seg-*.m4s").Order(StringComparer.Ordinal).First();
        var segmentUrl = farm.AssetPath(good.Id) + Path.GetFileName(segment);
        foreach (var edge in new[] { farm.Http, child.Http })
        {
            foreach (var path in new[] { $"/vod/{good.Id}/master.m3u8", $"/vod/{good.Id}/manifest.mpd", segmentUrl, segmentUrl, $"/vod/{good.Id}/master.m3u8" })
            {
                using var response = await edge.GetAsync(new Uri(path, UriKind.Relative));
                Assert.True(response.IsSuccessStatusCode, path);
            }
        }

        await Task.Delay(1500);
        (await child.Http.GetAsync(new Uri($"/vod/{good.Id}/master.m3u8", UriKind.Relative))).Dispose();

        // An origin error: a second edge whose parent (an HTTP origin) is down answers 502 and counts it.
        using (var purge = new HttpRequestMessage(HttpMethod.Post, "/admin/purge?asset=" + good.Id))
        {
            purge.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", admin);
            using var purged = await farm.Http.SendAsync(purge);
            Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
        }

        using (var broken = await orphan.Http.GetAsync(new Uri(segmentUrl, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.BadGateway, broken.StatusCode);
        }

        // Every panel answers, each series with the labels the panel groups by. Scrapes run every second: poll.
        var missing = panels.Select(p => p.Title + ": " + p.Expr).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (missing.Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            missing.Clear();
            foreach (var (title, expr) in panels)
            {
                var series = await prometheus.QueryAsync(expr);
                var grouped = GroupLabels(expr);
                if (series.Count == 0 || series.Any(s => grouped.Any(l => !s.Labels.ContainsKey(l))))
                {
                    missing.Add($"{title}: {expr} → {series.Count} series");
                }
            }

            if (missing.Count > 0)
            {
                await Task.Delay(1000);
            }
        }

        Assert.True(missing.Count == 0, "panels without data:\n" + string.Join('\n', missing) + "\n" + prometheus.Output[^Math.Min(2000, prometheus.Output.Length)..]);

        // The events the scenario made are the ones the panels show.
        Assert.Contains((await prometheus.QueryAsync("sum by (reason) (increase(transcodefarm_qc_failures_total[1h]))")).Select(s => s.Labels["reason"]), r => r.Length > 0);
        Assert.Contains("unreachable", (await prometheus.QueryAsync("sum by (kind) (increase(transcodefarm_edge_origin_errors_total[1h]))")).Select(s => s.Labels["kind"]));
        Assert.Contains("revalidating", (await prometheus.QueryAsync("transcodefarm_edge_stale_responses_total")).Select(s => s.Labels["reason"]));
    }

    /// <summary>Every query of every panel in the shipped dashboards.</summary>
    private static IEnumerable<(string Title, string Expr)> Panels()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Docker, "grafana"), "*.json"))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var panel in json.RootElement.GetProperty("panels").EnumerateArray())
            {
                foreach (var target in panel.GetProperty("targets").EnumerateArray())
                {
                    yield return ($"{Path.GetFileNameWithoutExtension(file)}/{panel.GetProperty("title").GetString()}", target.GetProperty("expr").GetString()!);
                }
            }
        }
    }

    /// <summary>The labels a query keeps by aggregating "by (…)" (bucket bounds aside): each result series must carry them.</summary>
    private static IReadOnlyList<string> GroupLabels(string expr) =>
        ByClause().Matches(expr).SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(l => l != "le").Distinct().ToList();

    [GeneratedRegex(@"\bby \(([^)]*)\)")]
    private static partial Regex ByClause();

    [GeneratedRegex(@"^\s+- alert: (\S+)", RegexOptions.Multiline)]
    private static partial Regex AlertName();
}
