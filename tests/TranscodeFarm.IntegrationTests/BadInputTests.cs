using System.Text.Json;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>Broken, hostile and unusual files: each ends as a clear failure with the file kept, or a correct output.</summary>
[Collection(SharedFarmCollection.Name)]
public sealed class BadInputTests(SharedFarm shared)
{
    private FarmProcess Farm => shared.Farm;

    [Theory]
    [InlineData("empty.mp4", "no duration|could not read")]
    [InlineData("notes.mp4", "could not read the file as media")]
    [InlineData("interrupted upload.mp4", "could not read the file as media")]
    public async Task Broken_files_fail_with_a_reason_and_are_kept_in_failed(string name, string reasonPattern)
    {
        var source = Path.Combine(Path.GetTempPath(), $"tf-bad-{Guid.NewGuid():N}");
        switch (name)
        {
            case "empty.mp4":
                await File.WriteAllBytesAsync(source, []);
                break;
            case "notes.mp4":
                await File.WriteAllTextAsync(source, "this is a text file, not a movie\n");
                break;
            default:
                File.Copy(await TestMedia.TruncatedAsync(), source);
                break;
        }

        var original = await File.ReadAllBytesAsync(source);
        Farm.Drop(source, name);
        var job = await Farm.WaitForJobAsync(name);
        Assert.Equal(JobState.Failed, job.State);
        Assert.Equal(1, job.Attempts); // bad input is not retried
        Assert.Matches(reasonPattern, job.Error);

        var kept = Path.Combine(Farm.DropFolder, "failed", name);
        await FarmProcess.WaitForFileAsync(kept + ".error.json");
        Assert.Equal(original, await File.ReadAllBytesAsync(kept));
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(kept + ".error.json"));
        Assert.Equal(job.Id, report.RootElement.GetProperty("jobId").GetString());
        Assert.Matches(reasonPattern, report.RootElement.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData(1, "-rf $(touch pwned) \"q'.mp4")]
    [InlineData(2, "vidéo 日本語 ñ.mp4")]
    [InlineData(3, "--help.mp4")]
    [InlineData(4, "semi;colon & pipe | back`tick`.mov")]
    public async Task Hostile_and_unicode_names_are_processed_as_plain_names(int variant, string name)
    {
        // Different content per name: the same bytes twice would be one job (idempotent submission).
        Farm.Drop(await TestMedia.ClipAsync(160, 120, 2, extra: $"-metadata comment=hostile{variant}"), name);
        var job = await Farm.WaitForJobAsync(name);
        Assert.True(job.State == JobState.Succeeded, job.Error);
        // The source moves to done/ right after the job is marked succeeded (never before): wait for it.
        await FarmProcess.WaitForFileAsync(Path.Combine(Farm.DropFolder, "done", name));
        Assert.False(File.Exists(Path.Combine(Farm.DataDirectory, "pwned")));
        Assert.False(File.Exists(Path.Combine(Environment.CurrentDirectory, "pwned")));
    }

    [Fact]
    public async Task Audio_only_source_becomes_an_audio_only_asset()
    {
        Farm.Drop(await TestMedia.AudioOnlyAsync(), "podcast.m4a");
        var job = await Farm.WaitForJobAsync("podcast.m4a");
        Assert.True(job.State == JobState.Succeeded, job.Error);
        var folder = Path.Combine(Farm.StoreFolder, job.Outputs!.ObjectPrefix);
        var mpd = DashParser.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "manifest.mpd")));
        Assert.Equal("audio", Assert.Single(mpd.Representations).ContentType);
        var master = HlsParser.ParseMaster(await File.ReadAllTextAsync(Path.Combine(folder, "master.m3u8")));
        Assert.NotEmpty(master.Variants);
        Assert.All(master.Variants, v => Assert.Equal("mp4a.40.2", v.Codecs));
        // No video, so no video fingerprint; the audio one is published all the same.
        Assert.False(File.Exists(Path.Combine(folder, "fingerprint.bin")));
        Assert.True(File.Exists(Path.Combine(folder, "audio.fp")));
        Assert.Contains("\"video\":null", await File.ReadAllTextAsync(Path.Combine(folder, "fingerprint.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Odd_dimensions_and_portrait_sources_encode_to_even_sizes()
    {
        Farm.Drop(await TestMedia.ClipAsync(321, 239, 2), "odd.mp4");
        Farm.Drop(await TestMedia.ClipAsync(180, 320, 2), "portrait.mp4");
        var odd = await Farm.WaitForJobAsync("odd.mp4");
        var portrait = await Farm.WaitForJobAsync("portrait.mp4");
        Assert.True(odd.State == JobState.Succeeded, odd.Error);
        Assert.True(portrait.State == JobState.Succeeded, portrait.Error);
        Assert.All(odd.Outputs!.Renditions.Where(r => r.Kind == "video"), r => Assert.True(r.Width % 2 == 0 && r.Height % 2 == 0));
        var top = portrait.Outputs!.Renditions.First(r => r.Kind == "video");
        Assert.True(top.Height > top.Width, $"{top.Width}x{top.Height} is not portrait");
        var info = await Segments.StreamInfoAsync(Path.Combine(Farm.StoreFolder, portrait.Outputs.ObjectPrefix, "init-0.mp4"));
        Assert.Equal((top.Width.ToString(), top.Height.ToString()), (info["width"], info["height"]));
    }

    [Fact]
    public async Task Symlinks_are_not_followed_and_the_next_good_file_still_works()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"tf-secret-{Guid.NewGuid():N}.mp4");
        File.Copy(await TestMedia.ClipAsync(160, 120, 2), secret);
        Directory.CreateDirectory(Farm.DropFolder);
        File.CreateSymbolicLink(Path.Combine(Farm.DropFolder, "link.mp4"), secret);

        var report = Path.Combine(Farm.DropFolder, "failed", "link.mp4.error.json");
        await FarmProcess.WaitForFileAsync(report);
        Assert.Contains("symbolic links are not accepted", await File.ReadAllTextAsync(report));
        Assert.True(File.Exists(secret), "the link target must be left alone");
        Assert.DoesNotContain(await Farm.Queue.ListAsync(null, 500, default), j => j.SourceName == "link.mp4");

        Farm.Drop(await TestMedia.ClipAsync(160, 120, 3), "after the bad ones.mp4");
        var job = await Farm.WaitForJobAsync("after the bad ones.mp4");
        Assert.Equal(JobState.Succeeded, job.State);
    }

    [Fact]
    public async Task Partial_and_hidden_files_are_ignored_until_renamed()
    {
        Directory.CreateDirectory(Farm.DropFolder);
        var clip = await TestMedia.ClipAsync(160, 120, 2, extra: "-metadata title=partial");
        File.Copy(clip, Path.Combine(Farm.DropFolder, "upload.mp4.part"));
        File.Copy(clip, Path.Combine(Farm.DropFolder, ".hidden.mp4"));
        await Task.Delay(1500);
        Assert.True(File.Exists(Path.Combine(Farm.DropFolder, "upload.mp4.part")));
        Assert.True(File.Exists(Path.Combine(Farm.DropFolder, ".hidden.mp4")));
        File.Move(Path.Combine(Farm.DropFolder, "upload.mp4.part"), Path.Combine(Farm.DropFolder, "upload.mp4"));
        Assert.Equal(JobState.Succeeded, (await Farm.WaitForJobAsync("upload.mp4")).State);
        File.Delete(Path.Combine(Farm.DropFolder, ".hidden.mp4"));
    }

    [Fact]
    public async Task Sidecar_sets_profile_and_title_and_a_bad_sidecar_is_a_clear_failure()
    {
        var clip = await TestMedia.ClipAsync(160, 120, 2, extra: "-metadata title=sidecar");
        Directory.CreateDirectory(Farm.DropFolder);
        await File.WriteAllTextAsync(Path.Combine(Farm.DropFolder, "with sidecar.mp4.json"), """{ "title": "My Film", "priority": 5, "profile": "test-tiny" }""");
        Farm.Drop(clip, "with sidecar.mp4");
        var job = await Farm.WaitForJobAsync("with sidecar.mp4");
        Assert.Equal(("My Film", 5, JobState.Succeeded), (job.Title, job.Priority, job.State));

        await File.WriteAllTextAsync(Path.Combine(Farm.DropFolder, "bad sidecar.json"), """{ "profile": "no-such-ladder" }""");
        Farm.Drop(await TestMedia.ClipAsync(160, 120, 2, extra: "-metadata title=bad"), "bad sidecar.mp4");
        var report = Path.Combine(Farm.DropFolder, "failed", "bad sidecar.mp4.error.json");
        await FarmProcess.WaitForFileAsync(report);
        Assert.Contains("unknown profile 'no-such-ladder'", await File.ReadAllTextAsync(report));
        Assert.True(File.Exists(Path.Combine(Farm.DropFolder, "failed", "bad sidecar.mp4.json")), "the sidecar is kept with its file");
    }

    [Fact]
    public async Task Same_content_dropped_twice_is_one_job()
    {
        var clip = await TestMedia.ClipAsync(160, 120, 2, extra: "-metadata title=twice");
        Farm.Drop(clip, "first copy.mp4");
        var first = await Farm.WaitForJobAsync("first copy.mp4");
        Farm.Drop(clip, "second copy.mp4");
        await FarmProcess.WaitForFileAsync(Path.Combine(Farm.DropFolder, "done", "second copy.mp4"));
        var jobs = await Farm.Queue.ListAsync(null, 500, default);
        Assert.DoesNotContain(jobs, j => j.SourceName == "second copy.mp4");
        Assert.Equal(JobState.Succeeded, first.State);
    }
}
