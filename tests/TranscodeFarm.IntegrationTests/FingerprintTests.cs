using System.Text.Json;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>`transcodefarm fingerprint`: a re-encoded, downscaled excerpt is found in its source at the right offset.</summary>
public sealed class FingerprintTests
{
    [Fact]
    public async Task A_downscaled_low_bitrate_excerpt_is_located_in_its_source_and_unrelated_video_is_not()
    {
        var source = await TestMedia.ClipAsync(640, 360, 20);
        var folder = Directory.CreateTempSubdirectory("transcodefarm-fp-").FullName;
        var excerpt = Path.Combine(folder, "excerpt -$(x).mp4");
        await Tools.CheckedFfmpegAsync("-ss", "6", "-t", "8", "-i", source, "-vf", "scale=320:180", "-c:v", "libx264", "-crf", "35", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "48k", excerpt);
        var unrelated = Path.Combine(folder, "unrelated.mp4");
        await Tools.CheckedFfmpegAsync("-f", "lavfi", "-i", "mandelbrot=size=640x360:rate=30", "-t", "10", "-c:v", "libx264", "-preset", "ultrafast", unrelated);

        var found = await Tools.CliAsync(null, "fingerprint", excerpt, "--against", source, unrelated, "--json");
        Assert.True(found.ExitCode == 0, found.Stderr + found.Stdout);
        using var matches = JsonDocument.Parse(found.Stdout);
        var match = Assert.Single(matches.RootElement.EnumerateArray());
        Assert.Equal(Path.GetFileName(source), match.GetProperty("asset").GetString());
        Assert.InRange(match.GetProperty("offsetSeconds").GetDouble(), 5.5, 6.5);
        Assert.InRange(match.GetProperty("matchedSeconds").GetDouble(), 5, 8.5);

        var none = await Tools.CliAsync(null, "fingerprint", unrelated, "--against", source, "--json");
        Assert.Equal(1, none.ExitCode);
        Assert.Equal("[]", none.Stdout.Trim());
    }
}
