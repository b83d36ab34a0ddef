using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// Issue 6 end to end on a real farm: fingerprints stored with each asset, the index finding duplicates and excerpts
/// (`match` and the HTTP API), the ingest policies (tag, alias, reject on a blocked collection) and the quality gate.
/// </summary>
public sealed class FingerprintCatalogTests
{
    /// <summary>A lavfi video with sound that changes pitch every third of a second, never repeating (Chromaprint needs
    /// changing sound; <paramref name="voice"/> makes each clip's melody its own).</summary>
    private static async Task<string> SourceAsync(string folder, string name, string video, double seconds, double voice)
    {
        var path = Path.Combine(folder, name);
        var s = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var v = voice.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Tools.CheckedFfmpegAsync(
            "-f", "lavfi", "-i", $"{video}:rate=30", "-f", "lavfi", "-i", $"aevalsrc=0.4*sin(2*PI*(300+250*abs(sin(floor(t*3)*{v})))*t):s=48000",
            "-t", s, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", path);
        return path;
    }

    /// <summary>The kind of copy a re-upload is: re-encoded at a low bitrate and downscaled.</summary>
    private static async Task<string> ReencodeAsync(string source, string path, string? from = null, string? duration = null)
    {
        List<string> args = from is null ? [] : ["-ss", from, "-t", duration!];
        await Tools.CheckedFfmpegAsync([.. args, "-i", source, "-vf", "scale=192:144", "-c:v", "libx264", "-crf", "35", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "48k", path]);
        return path;
    }

    [Fact]
    public async Task Duplicates_are_tagged_excerpts_located_unrelated_clips_unmatched_and_a_black_rendition_stopped()
    {
        var media = Directory.CreateTempSubdirectory("transcodefarm-catalog-").FullName;
        var profiles = ProfilesWithBrokenRung();
        await using var farm = new FarmProcess();
        const string admin = "catalog-admin-token-0123";
        await farm.StartAsync(new Dictionary<string, string> { ["TRANSCODEFARM__Farm__ProfilesDirectory"] = profiles, ["TRANSCODEFARM__Edge__AdminToken"] = admin });
        farm.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin); // the match API's token
        var env = FarmProcess.TestEnvironment(farm.DataDirectory);
        env["TRANSCODEFARM__Farm__ProfilesDirectory"] = profiles;

        var original = await SourceAsync(media, "original.mp4", "testsrc2=size=320x240", 20, 1.7);
        farm.Drop(original, "original.mp4");
        var first = await farm.WaitForJobAsync("original.mp4");
        Assert.True(first.State == JobState.Succeeded, first.Error + farm.Output);
        Assert.Null(first.Outputs!.Matches);

        // A re-encoded, downscaled copy: published, and tagged as a duplicate of the original at offset 0.
        farm.Drop(await ReencodeAsync(original, Path.Combine(media, "copy.mp4")), "copy 'of' $(original).mp4");
        var copy = await farm.WaitForJobAsync("copy 'of' $(original).mp4");
        Assert.True(copy.State == JobState.Succeeded, copy.Error + farm.Output);
        var duplicate = Assert.Single(copy.Outputs!.Matches!, m => m.Kind == MatchKinds.Duplicate);
        Assert.Equal(first.Id, duplicate.EntryId);
        Assert.Equal(first.Id, copy.Outputs.DuplicateOf);
        Assert.InRange(duplicate.OffsetSeconds, -0.5, 0.5);
        Assert.True(duplicate.MatchedSeconds >= 15, $"{duplicate.MatchedSeconds} s matched");

        // An 8 s excerpt from 6 s: `match` names the original (an excerpt of it, at 6 s) and the copy.
        var excerpt = await ReencodeAsync(original, Path.Combine(media, "-excerpt.mp4"), "6", "8");
        var matched = await Tools.CliAsync(env, "match", excerpt, "--json");
        Assert.True(matched.ExitCode == 0, matched.Stderr + matched.Stdout);
        var report = JsonSerializer.Deserialize<Report>(matched.Stdout, JsonSerializerOptions.Web)!;
        var inOriginal = Assert.Single(report.Matches, m => m.EntryId == first.Id);
        Assert.Equal(MatchKinds.Excerpt, inOriginal.Kind);
        Assert.InRange(inOriginal.OffsetSeconds, 5.5, 6.5);
        Assert.InRange(inOriginal.MatchedSeconds, 5, 8.5);
        Assert.Contains(report.Matches, m => m.EntryId == copy.Id);

        // The same through the edge's HTTP API, with the file as the body.
        using (var body = new StreamContent(File.OpenRead(excerpt)))
        {
            body.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
            using var response = await farm.Http.PostAsync(new Uri("/api/match?name=excerpt.mp4", UriKind.Relative), body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var viaApi = JsonSerializer.Deserialize<Report>(await response.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)!;
            Assert.Equal("excerpt.mp4", viaApi.Query.Name);
            Assert.InRange(Assert.Single(viaApi.Matches, m => m.EntryId == first.Id).OffsetSeconds, 5.5, 6.5);
        }

        // A stored asset against the rest: the original finds its copy.
        using (var byAsset = JsonDocument.Parse(await farm.Http.GetStringAsync(new Uri($"/api/match/assets/{first.Id}", UriKind.Relative))))
        {
            Assert.Contains(byAsset.RootElement.GetProperty("matches").EnumerateArray(), m => m.GetProperty("entryId").GetString() == copy.Id);
        }

        // Unrelated video: no match, exit code 1.
        var unrelated = await SourceAsync(media, "unrelated.mp4", "cellauto=s=320x240:rule=110", 10, 2.3);
        var none = await Tools.CliAsync(env, "match", unrelated, "--json");
        Assert.True(none.ExitCode == 1, none.Stderr + none.Stdout);
        Assert.Empty(JsonSerializer.Deserialize<Report>(none.Stdout, JsonSerializerOptions.Web)!.Matches);

        // The quality gate: a profile whose 144p rung is blacked out by a filter fails before anything is published.
        await File.WriteAllTextAsync(Path.Combine(farm.DropFolder, "broken.json"), """{"profile": "broken-test"}""");
        farm.Drop(await SourceAsync(media, "gate.mp4", "testsrc2=size=320x240", 6, 2.9), "broken.mp4");
        var broken = await farm.WaitForJobAsync("broken.mp4");
        Assert.Equal(JobState.Failed, broken.State);
        Assert.Contains("qc: quality gate: 144p: black or flat picture", broken.Error);
        Assert.DoesNotContain("240p", broken.Error);
        Assert.False(Directory.Exists(Path.Combine(farm.StoreFolder, broken.Id)) && Directory.EnumerateFiles(Path.Combine(farm.StoreFolder, broken.Id), "*", SearchOption.AllDirectories).Any(),
            "nothing of a gated job is published");
        await FarmProcess.WaitForFileAsync(Path.Combine(farm.DropFolder, "failed", "broken.mp4"));

        var metrics = await farm.MetricsAsync();
        Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_fingerprint_matches_total{kind=\"duplicate\"}") >= 1, metrics);
        Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_qc_failures_total{reason=\"black\"}") >= 1, metrics);
        Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_fingerprint_index_entries") >= 2, metrics);
        Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_match_requests_total{result=\"matched\"}") >= 1, metrics);
    }

    [Fact]
    public async Task A_blocked_reference_rejects_its_copy_and_alias_mode_skips_encoding_a_duplicate()
    {
        var media = Directory.CreateTempSubdirectory("transcodefarm-catalog-").FullName;
        await using var farm = new FarmProcess();
        await farm.StartAsync(new Dictionary<string, string> { ["TRANSCODEFARM__Fingerprint__Duplicates"] = "alias" });
        var env = FarmProcess.TestEnvironment(farm.DataDirectory);

        var reference = await SourceAsync(media, "leaked film.mp4", "mandelbrot=s=320x240", 12, 3.1);
        var added = await Tools.CliAsync(env, "collection", "add", "blocked", reference);
        Assert.True(added.ExitCode == 0, added.Stderr + added.Stdout);
        var listed = await Tools.CliAsync(env, "collection", "list", "blocked");
        Assert.Contains("blocked (policy: reject)", listed.Stdout);
        Assert.Contains("leaked film.mp4", listed.Stdout);

        farm.Drop(await ReencodeAsync(reference, Path.Combine(media, "upload.mp4"), "2", "9"), "upload.mp4");
        var rejected = await farm.WaitForJobAsync("upload.mp4");
        Assert.Equal(JobState.Failed, rejected.State);
        Assert.Contains("reference 'leaked film.mp4'", rejected.Error);
        Assert.Contains("in collection 'blocked'", rejected.Error);
        Assert.Matches(@"at offset (1\.[5-9]|2\.[0-5]) s", rejected.Error); // upload time + 2 s = reference time
        await FarmProcess.WaitForFileAsync(Path.Combine(farm.DropFolder, "failed", "upload.mp4")); // the file is kept

        var original = await SourceAsync(media, "original.mp4", "testsrc2=size=320x240", 10, 1.7);
        farm.Drop(original, "original.mp4");
        var first = await farm.WaitForJobAsync("original.mp4");
        Assert.True(first.State == JobState.Succeeded, first.Error + farm.Output);
        farm.Drop(await ReencodeAsync(original, Path.Combine(media, "again.mp4")), "again.mp4");
        var again = await farm.WaitForJobAsync("again.mp4");
        Assert.True(again.State == JobState.Succeeded, again.Error + farm.Output);
        Assert.Equal(first.Id, again.Outputs!.AliasOf);
        Assert.Equal(first.Outputs!.HlsMaster, again.Outputs.HlsMaster);
        Assert.Equal(0, again.Outputs.ObjectCount);
        Assert.False(Directory.Exists(Path.Combine(farm.StoreFolder, again.Id)), "an aliased job publishes nothing of its own");

        // Only the original was encoded: the blocked upload was refused, and the duplicate aliased, before their encodes.
        var metrics = await farm.MetricsAsync();
        Assert.InRange(EdgeTests.MetricValue(metrics, "transcodefarm_encoded_media_seconds_total"), 9.5, 10.5);
        Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_fingerprint_rejected_total{collection=\"blocked\"}") >= 1, metrics);
        Assert.True(EdgeTests.MetricValue(metrics, "transcodefarm_fingerprint_aliased_total") >= 1, metrics);
    }

    /// <summary>What a broken encoder (or a bad filter) does to one rung: the 144p picture is black.</summary>
    private static string ProfilesWithBrokenRung() => SlowProfile.FolderWith("broken-test", """
        {
          "name": "broken-test",
          "segmentSeconds": 2,
          "gopSeconds": 1,
          "video": [
            { "name": "240p", "height": 240, "bitrateKbps": 400, "preset": "ultrafast" },
            { "name": "144p", "height": 144, "bitrateKbps": 150, "preset": "ultrafast", "filter": "lutyuv=y=16:u=128:v=128" }
          ],
          "audio": [ { "name": "aac", "bitrateKbps": 64, "channels": 1 } ]
        }
        """);

    private sealed record Report(ReportQuery Query, IReadOnlyList<CatalogMatch> Matches);

    private sealed record ReportQuery(string Name, double DurationSeconds);
}
