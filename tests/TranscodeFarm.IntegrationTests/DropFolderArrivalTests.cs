using TranscodeFarm.Core.Jobs;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// When the drop folder takes a file: one renamed into its name inside the folder (written as "x.mp4.part", then
/// renamed: the producer saying it is done) at once; one written in place only after Ingest:StableFor without change.
/// </summary>
public sealed class DropFolderArrivalTests
{
    [Fact]
    public async Task A_file_renamed_in_is_taken_at_once_and_a_file_written_in_place_waits_for_StableFor()
    {
        await using var farm = new FarmProcess();
        await farm.StartAsync(new Dictionary<string, string> { ["TRANSCODEFARM__Ingest__StableFor"] = "00:00:30" });
        var clip = await TestMedia.ClipAsync(160, 120, 1);
        File.Copy(clip, Path.Combine(farm.DropFolder, "in place.mp4"));
        farm.Drop(clip, "renamed in.mp4"); // .part, then renamed

        var renamed = await farm.WaitForJobAsync("renamed in.mp4", TimeSpan.FromSeconds(25));
        Assert.Equal(JobState.Succeeded, renamed.State);
        // Still within its 30 s: the file written in place has not been taken.
        Assert.DoesNotContain(await farm.Queue.ListAsync(null, 10, default), j => j.SourceName == "in place.mp4");
        Assert.True(File.Exists(Path.Combine(farm.DropFolder, "in place.mp4")));
    }
}
