using System.Text.Json;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// The quality gate on a running farm, one fault per profile, each on a clear and an encrypted asset: a profile's
/// per-rendition filter damages one rung (144p, or the audio), the gate names that rendition and why, the job fails
/// before anything is published, and the undamaged rung is not blamed. Packaging faults (a damaged non-key frame in the
/// middle of a segment, the last segment) are injected between the real packager and the gate in
/// <c>PackagedSegmentVerifierTests</c>, since no profile can make the packager itself go wrong.
/// </summary>
public sealed class QualityGateTests
{
    private static readonly (string Name, string? Video, string? Audio, string Expected)[] Faults =
    [
        ("black", "lutyuv=y=16:u=128:v=128", null, "144p: black or flat picture"),
        ("frozen", "trim=end=2,tpad=stop_duration=6:stop_mode=clone", null, "144p: frozen picture"),
        ("truncated", "trim=end=3", null, "144p: the rendition ends early"),
        ("shifted", "tpad=start_duration=1:start_mode=clone", null, "144p: out of sync: the picture is 1.0 s late"),
        ("other", "negate", null, "144p: the picture differs from the source"),
        ("sound-late", null, "adelay=1500", "aac: audio out of sync: 1.4"),
        ("sound-other", null, "aeval=0.5*sin(2*PI*1000*t)", "aac: the audio differs from the source"),
    ];

    [Fact]
    public async Task Every_picture_and_sound_fault_fails_its_rendition_on_clear_and_encrypted_assets()
    {
        var profiles = Directory.CreateTempSubdirectory("transcodefarm-gate-profiles-").FullName;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "ffmpeg-profiles"), "*.json"))
        {
            File.Copy(file, Path.Combine(profiles, Path.GetFileName(file)));
        }

        foreach (var f in Faults.Append(("clean", null, null, "")))
        {
            await File.WriteAllTextAsync(Path.Combine(profiles, $"gate-{f.Name}.json"), Profile($"gate-{f.Name}", f.Video, f.Audio));
        }

        await using var farm = new FarmProcess();
        await farm.StartAsync(new Dictionary<string, string> { ["TRANSCODEFARM__Farm__ProfilesDirectory"] = profiles });
        var source = await VoicedClipAsync();
        foreach (var protection in new[] { "clear", "cenc" })
        {
            foreach (var f in Faults.Append(("clean", null, null, "")))
            {
                var name = $"{f.Name} {protection}";
                var sidecar = protection == "clear"
                    ? $$"""{"profile": "gate-{{f.Name}}"}"""
                    : $$$"""{"profile": "gate-{{{f.Name}}}", "drm": {"scheme": "cenc", "systems": ["clearkey"]}}""";
                await File.WriteAllTextAsync(Path.Combine(farm.DropFolder, name + ".json"), sidecar);
                farm.Drop(source, name + ".mp4");
            }
        }

        foreach (var protection in new[] { "clear", "cenc" })
        {
            var clean = await farm.WaitForJobAsync($"clean {protection}.mp4", TimeSpan.FromMinutes(3));
            Assert.True(clean.State == JobState.Succeeded, $"the undamaged ladder ({protection}) must pass the gate: {clean.Error}");
            foreach (var f in Faults)
            {
                var job = await farm.WaitForJobAsync($"{f.Name} {protection}.mp4", TimeSpan.FromMinutes(3));
                Assert.True(job.State == JobState.Failed, $"{f.Name} ({protection}) passed the gate");
                Assert.True(job.Error?.Contains("qc: quality gate: " + f.Expected, StringComparison.Ordinal) == true, $"{f.Name} ({protection}): {job.Error}");
                Assert.False(job.Error.Contains("240p:", StringComparison.Ordinal), $"{f.Name} ({protection}) blamed the undamaged rung: {job.Error}");
                var published = Path.Combine(farm.StoreFolder, job.Id);
                Assert.False(Directory.Exists(published) && Directory.EnumerateFiles(published, "*", SearchOption.AllDirectories).Any(),
                    $"{f.Name} ({protection}): nothing of a gated job stays in the store");
            }
        }

        var metrics = await farm.MetricsAsync();
        foreach (var code in new[] { "black", "frozen", "truncated", "desync", "corrupt", "audio" })
        {
            Assert.True(EdgeTests.MetricValue(metrics, $"transcodefarm_qc_failures_total{{reason=\"{code}\"}}") >= 2, $"{code} counted on both assets:\n{metrics}");
        }
    }

    /// <summary>8 s of moving picture with a voice-like tone, so both halves of the gate have something to compare.</summary>
    private static async Task<string> VoicedClipAsync()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("transcodefarm-gate-").FullName, "voiced.mp4");
        await Tools.CheckedFfmpegAsync(
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i", "aevalsrc=0.4*sin(2*PI*(300+250*abs(sin(floor(t*3)*2.3)))*t):s=48000",
            "-t", "8", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", path);
        return path;
    }

    internal static string Profile(string name, string? videoFilter, string? audioFilter) => JsonSerializer.Serialize(new
    {
        name,
        segmentSeconds = 2,
        gopSeconds = 1,
        video = new object[]
        {
            new { name = "240p", height = 240, bitrateKbps = 400, preset = "ultrafast" },
            videoFilter is null
                ? new { name = "144p", height = 144, bitrateKbps = 150, preset = "ultrafast" }
                : (object)new { name = "144p", height = 144, bitrateKbps = 150, preset = "ultrafast", filter = videoFilter },
        },
        audio = new object[] { audioFilter is null ? new { name = "aac", bitrateKbps = 64, channels = 1 } : new { name = "aac", bitrateKbps = 64, channels = 1, filter = audioFilter } },
    });
}
