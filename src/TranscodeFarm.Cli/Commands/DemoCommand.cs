using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Keys;
using TranscodeFarm.Media;
using TranscodeFarm.Queue;
using TranscodeFarm.Worker;
using TranscodeFarm.Worker.Ingest;

namespace TranscodeFarm.Cli.Commands;

/// <summary>
/// `demo [FILE]`: starts the embedded farm, drops a file (or a generated 720p test clip) into the drop folder,
/// shows progress, and prints the URLs a player can open. Ctrl-C stops everything.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo?>("file") { Description = "Media file to transcode (default: a generated 10 s 720p test clip)", Arity = ArgumentArity.ZeroOrOne };
        var url = new Option<string?>("--url") { Description = "Edge URL (default http://127.0.0.1:8080)" };
        var once = new Option<bool>("--once") { Description = "Exit after the job ends and its master playlist was fetched from the edge" };
        var drm = new Option<string?>("--drm") { Description = "Encrypt with ClearKey DRM: cbcs or cenc (prints a playback token and the license URL)" };
        var cmd = new Command("demo", "Transcode a sample on the embedded farm and print the HLS/DASH URLs");
        cmd.Arguments.Add(file);
        cmd.Options.Add(url);
        cmd.Options.Add(once);
        cmd.Options.Add(drm);
        cmd.SetAction(async parse =>
        {
            var edgeUrl = (parse.GetValue(url) ?? "http://127.0.0.1:8080").TrimEnd('/');
            await using var app = FarmHost.Build(parse, HostRoles.All, new Dictionary<string, string?> { ["Edge:Url"] = edgeUrl }, LogLevel.Warning);
            var stopping = app.Lifetime.ApplicationStopping;
            var paths = app.Services.GetRequiredService<FarmPaths>();
            var source = parse.GetValue(file) ?? await GenerateSampleAsync(app.Services, paths, stopping);
            if (!source.Exists)
            {
                throw new CliException($"'{source.FullName}' does not exist");
            }

            await app.StartAsync(stopping);
            Console.WriteLine($"TranscodeFarm is running: edge {edgeUrl}, data in {paths.Root}");

            var profile = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<FarmOptions>>().Value.DefaultProfile;
            var drmSettings = parse.GetValue(drm) is { } scheme ? new Core.Drm.DrmSettings { Scheme = scheme, Systems = ["clearkey"] } : null;
            if (drmSettings?.Validate() is { } problem)
            {
                throw new CliException("--" + problem);
            }

            var key = new JobRequest { SourcePath = "", SourceName = "", ContentHash = await SourceImporter.HashAsync(source.FullName, stopping), Profile = profile, Origin = JobOrigin.DropFolder, Drm = drmSettings }.IdempotencyKey;
            var layout = app.Services.GetRequiredService<DropFolderLayout>();
            layout.EnsureExists();
            var dropped = Path.Combine(layout.Drop, source.Name);
            if (drmSettings is not null)
            {
                await File.WriteAllTextAsync(dropped + ".json", System.Text.Json.JsonSerializer.Serialize(new { drm = drmSettings }, System.Text.Json.JsonSerializerOptions.Web), stopping);
            }

            File.Copy(source.FullName, dropped + ".part", overwrite: true); // ".part" is ignored until the rename
            File.Move(dropped + ".part", dropped, overwrite: true);
            Console.WriteLine($"dropped {source.Name} into {layout.Drop}");

            var queue = app.Services.GetRequiredService<IJobQueue>();
            JobRecord? final;
            try
            {
                JobRecord? job;
                while ((job = await queue.FindByIdempotencyKeyAsync(key, stopping)) is null)
                {
                    await Task.Delay(250, stopping);
                }

                final = await JobView.FollowAsync(queue, job.Id, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                final = null;
            }

            if (final is null || stopping.IsCancellationRequested)
            {
                // Ctrl-C while the job ran: the host is already stopping (the job is released for next time).
                await app.WaitForShutdownAsync(CancellationToken.None);
                Console.WriteLine("stopped.");
                return 130;
            }

            // Player URLs name the edge as players reach it (Edge:PublicUrl); the check below asks the local one.
            var shownUrl = FarmServices.PublicEdgeUrl(app.Configuration);
            JobView.PrintOutcome(final, shownUrl);
            if (final.State != JobState.Succeeded)
            {
                await app.StopAsync(CancellationToken.None);
                return 1;
            }

            Console.WriteLine($"  metrics: {shownUrl}/metrics   health: {shownUrl}/healthz");
            Console.WriteLine(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Edge.EdgeOptions>>().Value.AdminToken.Length > 0
                ? $"  console: {shownUrl}/console (sign in with Edge:AdminToken)"
                : $"  console: {shownUrl}/console opens once Edge:AdminToken is set (e.g. TRANSCODEFARM__Edge__AdminToken=$(openssl rand -hex 24))");
            if (drmSettings is null)
            {
                Console.WriteLine($"  play it: ffplay {shownUrl}/vod/{final.Outputs!.HlsMaster}   (or any hls.js / dash.js / Shaka player page)");
            }
            else
            {
                var secrets = app.Services.GetRequiredService<DrmSecrets>();
                var token = Core.Drm.PlaybackToken.Create(final.Id, TimeProvider.System.GetUtcNow() + secrets.TokenLifetime, secrets.TokenSigningKey);
                Console.WriteLine($"  encrypted ({drmSettings.Scheme}, ClearKey): license server {shownUrl}/license/clearkey/{final.Id}?token={token}");
                Console.WriteLine($"  (Shaka: drm.servers['org.w3.clearkey'] = that URL; hls.js: drmSystems['org.w3.clearkey'].licenseUrl)");
            }

            if (parse.GetValue(once))
            {
                using var http = new HttpClient();
                var response = await http.GetAsync(new Uri($"{edgeUrl}/vod/{final.Outputs!.HlsMaster}"), stopping);
                Console.WriteLine($"edge check: GET master.m3u8 → {(int)response.StatusCode}");
                await app.StopAsync(CancellationToken.None);
                return response.IsSuccessStatusCode ? 0 : 1;
            }

            Console.WriteLine("Press Ctrl-C to stop.");
            await app.WaitForShutdownAsync(CancellationToken.None);
            return 0;
        });
        return cmd;
    }

    /// <summary>A 10 s 1280x720 clip from ffmpeg's lavfi test sources, made once and reused.</summary>
    private static async Task<FileInfo> GenerateSampleAsync(IServiceProvider services, FarmPaths paths, CancellationToken cancellationToken)
    {
        var sample = new FileInfo(Path.Combine(paths.Root, "samples", "sample-720p.mp4"));
        if (sample.Exists)
        {
            return sample;
        }

        Directory.CreateDirectory(sample.DirectoryName!);
        Console.WriteLine("generating a 10 s 720p sample clip with ffmpeg (testsrc2 + sine)...");
        var media = services.GetRequiredService<MediaOptions>();
        var runner = new ProcessRunner(TimeProvider.System);
        var temp = sample.FullName + ".tmp.mp4";
        var result = await runner.RunAsync(new ProcessSpec(media.FfmpegPath,
        [
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=10",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=10",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", temp,
        ], TimeSpan.FromMinutes(2)), new ProcessIo(), cancellationToken);
        if (!result.Succeeded)
        {
            throw new CliException("could not generate the sample clip: " + result.StderrTail);
        }

        File.Move(temp, sample.FullName);
        sample.Refresh();
        return sample;
    }
}
