using System.Text.Json;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// Producers are not trusted (issue 12): FIFOs, device links, playlists, concat lists, image sequences and bad sidecars
/// each end in failed/ with a reason a producer understands; afterwards the farm still takes a good file, and SIGTERM
/// still stops it within the grace period; a playlist sent to /api/match is refused too. Each test runs its own farm,
/// as it ends by stopping it.
/// </summary>
public sealed class HostileSourceTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Fifos_devices_playlists_concat_lists_and_image_sequences_are_refused_with_a_reason()
    {
        await using var farm = new FarmProcess();
        Directory.CreateDirectory(farm.DropFolder);

        // A file of another producer that a playlist or concat list tries to read through.
        var victim = Path.Combine(farm.DropFolder, "done", "someone else's.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(victim)!);
        File.Copy(await TestMedia.ClipAsync(160, 120, 2, extra: "-metadata comment=victim"), victim);

        // Before the farm starts: a FIFO swapped into .processing/ after a move is met by the reconcile's open check.
        var swapped = Path.Combine(farm.DropFolder, ".processing", "swappedin01");
        Directory.CreateDirectory(swapped);
        await MkfifoAsync(Path.Combine(swapped, "source.mp4"));
        await File.WriteAllTextAsync(Path.Combine(swapped, "original.name"), "swapped.mp4");

        const string admin = "hostile-admin-token-0123456789";
        await farm.StartAsync(new Dictionary<string, string> { ["TRANSCODEFARM__Edge__AdminToken"] = admin });
        farm.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", admin); // the match API's token
        await MkfifoAsync(Path.Combine(farm.DropFolder, "b.mp4"));
        File.CreateSymbolicLink(Path.Combine(farm.DropFolder, "zero.mp4"), "/dev/zero");
        await File.WriteAllTextAsync(Path.Combine(farm.DropFolder, "evil.m3u8"), Playlist(victim, "a"));
        await File.WriteAllTextAsync(Path.Combine(farm.DropFolder, "evil.mp4"), Playlist(victim, "b")); // other bytes: another job
        await File.WriteAllTextAsync(Path.Combine(farm.DropFolder, "list.mp4"), $"ffconcat version 1.0\nfile '{victim}'\n");
        var png = Path.Combine(farm.DataDirectory, "frame.png"); // made elsewhere: ffmpeg would read the name as a pattern too
        await Tools.CheckedFfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=32x32:duration=0.1", "-frames:v", "1", png);
        farm.Drop(png, "img%03d.png");

        await AssertFailedAsync(farm, "b.mp4", "not a regular file: a FIFO");
        await AssertFailedAsync(farm, "zero.mp4", "symbolic links are not accepted");
        await AssertFailedAsync(farm, "swapped.mp4", "not a regular file: a FIFO");
        await AssertFailedAsync(farm, "evil.m3u8", "not a media file the farm accepts: hls");
        await AssertFailedAsync(farm, "evil.mp4", "not a media file the farm accepts: hls");
        await AssertFailedAsync(farm, "list.mp4", "not a media file the farm accepts: concat");
        await AssertFailedAsync(farm, "img%03d.png", "not a media file the farm accepts: (png_pipe|image2)");
        var playlistJob = await farm.WaitForJobAsync("evil.m3u8");
        Assert.Equal(1, playlistJob.Attempts); // bad input: never retried
        Assert.True(File.Exists(victim), "the other producer's file is left alone");

        // The same playlist uploaded to the edge's match API is refused the same way.
        using (var body = new StringContent(Playlist(victim, "c")))
        {
            using var response = await farm.Http.PostAsync(new Uri("/api/match?name=evil.mp4", UriKind.Relative), body);
            Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Contains("not a media file the farm accepts: hls", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await GoodFileThenSigtermAsync(farm, "after hostile sources.mp4");
    }

    [Fact]
    public async Task Sidecars_that_are_links_fifos_oversized_or_have_unknown_fields_are_refused_with_a_reason()
    {
        await using var farm = new FarmProcess();
        Directory.CreateDirectory(farm.DropFolder);

        // Before the farm starts: the reconcile at start reads a /dev/zero sidecar with the same safe reader (no crash loop).
        var pending = Path.Combine(farm.DropFolder, ".processing", "pendingsub01");
        Directory.CreateDirectory(pending);
        File.Copy(await TestMedia.ClipAsync(96, 64, 1, extra: "-metadata comment=pending"), Path.Combine(pending, "source.mp4"));
        await File.WriteAllTextAsync(Path.Combine(pending, "original.name"), "pending.mp4");
        File.CreateSymbolicLink(Path.Combine(pending, "sidecar.json"), "/dev/zero");

        await farm.StartAsync();
        File.CreateSymbolicLink(Path.Combine(farm.DropFolder, "zero sidecar.mp4.json"), "/dev/zero");
        await MkfifoAsync(Path.Combine(farm.DropFolder, "fifo sidecar.mp4.json"));
        await File.WriteAllTextAsync(Path.Combine(farm.DropFolder, "big sidecar.mp4.json"), "{" + new string(' ', 70 * 1024) + "}");
        await File.WriteAllTextAsync(Path.Combine(farm.DropFolder, "typo sidecar.mp4.json"), """{ "title": "x", "profil": "test-tiny" }""");
        foreach (var name in new[] { "zero sidecar.mp4", "fifo sidecar.mp4", "big sidecar.mp4", "typo sidecar.mp4" })
        {
            farm.Drop(await TestMedia.ClipAsync(96, 64, 1, extra: $"-metadata comment={name.Split(' ')[0]}"), name);
        }

        await AssertFailedAsync(farm, "pending.mp4", "the sidecar is refused: not a regular file: a symbolic link");
        await AssertFailedAsync(farm, "zero sidecar.mp4", "the sidecar is refused: not a regular file: a symbolic link");
        await AssertFailedAsync(farm, "fifo sidecar.mp4", "the sidecar is refused: not a regular file: a FIFO");
        await AssertFailedAsync(farm, "big sidecar.mp4", "the sidecar is refused: larger than 64 KiB");
        await AssertFailedAsync(farm, "typo sidecar.mp4", "the sidecar has an unknown field 'profil'");
        // The refused sidecar travels with its file, as the link it is.
        Assert.Equal("/dev/zero", new FileInfo(Path.Combine(farm.DropFolder, "failed", "zero sidecar.mp4.json")).LinkTarget);

        await GoodFileThenSigtermAsync(farm, "after hostile sidecars.mp4");
    }

    private static string Playlist(string target, string variant) =>
        $"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n# {variant}\n#EXTINF:2.0,\n{target}\n#EXT-X-ENDLIST\n";

    private static async Task MkfifoAsync(string path) =>
        Assert.Equal(0, (await Tools.RunAsync("mkfifo", [path])).ExitCode);

    private static async Task AssertFailedAsync(FarmProcess farm, string name, string reasonPattern)
    {
        var report = Path.Combine(farm.DropFolder, "failed", name + ".error.json");
        await FarmProcess.WaitForFileAsync(report, TimeSpan.FromSeconds(90));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        Assert.Matches(reasonPattern, json.RootElement.GetProperty("reason").GetString());
        Assert.False(File.Exists(Path.Combine(farm.DropFolder, name)), $"{name} is still in the drop folder");
    }

    private static async Task GoodFileThenSigtermAsync(FarmProcess farm, string name)
    {
        farm.Drop(await TestMedia.ClipAsync(160, 120, 2, extra: $"-metadata comment={name.Replace(' ', '-')}"), name);
        var job = await farm.WaitForJobAsync(name);
        Assert.True(job.State == JobState.Succeeded, job.Error);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(0, await farm.TerminateAsync(Grace));
        Assert.True(clock.Elapsed < Grace, $"SIGTERM took {clock.Elapsed}");
    }
}
