using System.Text.Json;
using Microsoft.Data.Sqlite;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// Issue 17: fingerprints stored before centre hashes (binary version 1) are re-extracted from their source, by
/// `transcodefarm fingerprint reindex` and by a worker host at start, and then find a muted, 10%-cropped copy by picture
/// under the 31-bit rule (before, the whole-frame hashes reach it by the weaker near rule at most).
/// </summary>
public sealed class FingerprintReindexTests
{
    [Fact]
    public async Task An_old_version_row_is_reindexed_by_the_command_and_at_start_and_then_finds_a_muted_cropped_copy()
    {
        var media = Directory.CreateTempSubdirectory("transcodefarm-reindex-").FullName;
        var original = Path.Combine(media, "original.mp4");
        await Tools.CheckedFfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000",
            "-t", "10", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", original);
        var cropped = Path.Combine(media, "cropped.mp4");
        await Tools.CheckedFfmpegAsync("-i", original, "-vf", "crop=iw*0.9:ih*0.9", "-an", "-c:v", "libx264", "-preset", "ultrafast", cropped);

        await using var farm = new FarmProcess();
        var noReindex = new Dictionary<string, string> { ["TRANSCODEFARM__Fingerprint__ReindexAtStart"] = "false" };
        await farm.StartAsync(noReindex);
        farm.Drop(original, "original.mp4");
        var job = await farm.WaitForJobAsync("original.mp4");
        Assert.True(job.State == JobState.Succeeded, job.Error + farm.Output);
        var env = FarmProcess.TestEnvironment(farm.DataDirectory);
        Assert.Equal(2, await VideoVersionAsync(farm, job.Id));

        // As a farm from before issue 17 stored it: version 1, whole-frame hashes only. The cropped frames are past the
        // 31-bit rule; at most the near rule (decision 033, score ≤ 0.5) finds them.
        await DowngradeAsync(farm, job.Id);
        var before = await MatchAsync(env, cropped);
        Assert.DoesNotContain(before, m => m.EntryId == job.Id && m.Source == "video" && m.Score > 0.5);

        var reindex = await Tools.CliAsync(env, "fingerprint", "reindex", "--json");
        Assert.True(reindex.ExitCode == 0, reindex.Stderr + reindex.Stdout);
        using (var summary = JsonDocument.Parse(reindex.Stdout))
        {
            Assert.Equal($"assets/{job.Id}", Assert.Single(summary.RootElement.GetProperty("reindexed").EnumerateArray()).GetString());
        }

        Assert.Equal(2, await VideoVersionAsync(farm, job.Id));
        var after = Assert.Single(await MatchAsync(env, cropped), m => m.EntryId == job.Id);
        Assert.Equal("video", after.Source);
        Assert.InRange(after.Score, 0.5, 1.0); // by the 31-bit rule, through the centre view
        Assert.InRange(after.OffsetSeconds, -0.5, 0.5);
        Assert.Equal(MatchKinds.Duplicate, after.Kind);

        // A second run finds nothing to do.
        var again = await Tools.CliAsync(env, "fingerprint", "reindex");
        Assert.Contains("0 re-indexed, 0 kept at an older version, 1 already current", again.Stdout);

        // At start: a worker host re-extracts old rows by itself.
        await DowngradeAsync(farm, job.Id);
        await farm.TerminateAsync(TimeSpan.FromSeconds(30));
        await farm.StartAsync();
        await farm.WaitForOutputAsync("1 stored fingerprints are in an older form", TimeSpan.FromSeconds(60));
        await farm.WaitForOutputAsync("Fingerprint re-index at start: 1 re-extracted", TimeSpan.FromSeconds(60));
        Assert.Equal(2, await VideoVersionAsync(farm, job.Id));

        // Its source gone from done/: the row stays at version 1, and says why.
        await DowngradeAsync(farm, job.Id);
        var settled = (await farm.Queue.GetAsync(job.Id, CancellationToken.None))!;
        Assert.Contains($"{Path.DirectorySeparatorChar}done{Path.DirectorySeparatorChar}", settled.SourcePath);
        File.Move(settled.SourcePath, Path.Combine(media, "moved-away.mp4"));
        var kept = await Tools.CliAsync(env, "fingerprint", "reindex");
        Assert.True(kept.ExitCode == 0, kept.Stderr + kept.Stdout);
        Assert.Contains("0 re-indexed, 1 kept at an older version", kept.Stdout);
        Assert.Contains($"kept assets/{job.Id}: its source is no longer on disk", kept.Stdout);
        Assert.Equal(1, await VideoVersionAsync(farm, job.Id));
    }

    private static async Task<IReadOnlyList<CatalogMatch>> MatchAsync(IReadOnlyDictionary<string, string> env, string file)
    {
        var result = await Tools.CliAsync(env, "match", file, "--json");
        Assert.True(result.ExitCode is 0 or 1, result.Stderr + result.Stdout);
        using var report = JsonDocument.Parse(result.Stdout);
        return report.RootElement.GetProperty("matches").Deserialize<List<CatalogMatch>>(JsonSerializerOptions.Web)!;
    }

    private static SqliteConnection Open(FarmProcess farm) =>
        new($"Data Source={Path.Combine(farm.DataDirectory, "queue.db")};Default Timeout=30");

    private static async Task<int> VideoVersionAsync(FarmProcess farm, string jobId)
    {
        await using var db = Open(farm);
        await db.OpenAsync();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT video FROM fingerprints WHERE collection = 'assets' AND entry_id = @id";
        cmd.Parameters.AddWithValue("@id", jobId);
        return VideoFingerprintBinary.VersionOf((byte[])(await cmd.ExecuteScalarAsync())!);
    }

    /// <summary>Rewrites the row's video in the version-1 layout (37 bytes a frame: no centre hash), with a new seq.</summary>
    private static async Task DowngradeAsync(FarmProcess farm, string jobId)
    {
        await using var db = Open(farm);
        await db.OpenAsync();
        await using var read = db.CreateCommand();
        read.CommandText = "SELECT video FROM fingerprints WHERE collection = 'assets' AND entry_id = @id";
        read.Parameters.AddWithValue("@id", jobId);
        var v2 = (byte[])(await read.ExecuteScalarAsync())!;
        var count = (v2.Length - VideoFingerprintBinary.HeaderLength) / VideoFingerprintBinary.FrameLength;
        var v1 = new byte[VideoFingerprintBinary.HeaderLength + (count * 37)];
        v2.AsSpan(0, VideoFingerprintBinary.HeaderLength).CopyTo(v1);
        v1[4] = 1;
        for (var i = 0; i < count; i++)
        {
            v2.AsSpan(VideoFingerprintBinary.HeaderLength + (i * VideoFingerprintBinary.FrameLength), 37).CopyTo(v1.AsSpan(VideoFingerprintBinary.HeaderLength + (i * 37)));
        }

        await using var write = db.CreateCommand();
        write.CommandText = "UPDATE fingerprints SET video = @v, seq = (SELECT MAX(seq) + 1 FROM fingerprints) WHERE collection = 'assets' AND entry_id = @id";
        write.Parameters.AddWithValue("@v", v1);
        write.Parameters.AddWithValue("@id", jobId);
        Assert.Equal(1, await write.ExecuteNonQueryAsync());
    }
}
