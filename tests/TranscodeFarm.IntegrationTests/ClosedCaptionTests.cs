using System.Xml.Linq;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// CEA-608 captions carried in the video (decision 030). Debian's ffmpeg has no caption encoder, so the fixture is made
/// here: x264's Annex B stream with an ATSC A/53 SEI (GA94 cc_data, a pop-on "HI" on CC1) put before every picture,
/// then muxed to MP4 with ffmpeg, which decodes those SEI as real captions. Through the farm: the probe sees them, the
/// libx264 renditions carry them (ffprobe reads them back from the published segments), HLS and DASH say so. One 3 s encode.
/// </summary>
[Collection(SharedFarmCollection.Name)]
public sealed class ClosedCaptionTests(SharedFarm shared)
{
    private static readonly XNamespace Dash = "urn:mpeg:dash:schema:mpd:2011";

    [Fact]
    public async Task Captions_in_the_source_video_are_kept_in_every_rendition_and_signalled()
    {
        var farm = shared.Farm;
        farm.Drop(await CaptionedSourceAsync(), "captioned.mp4");
        var job = await farm.WaitForJobAsync("captioned.mp4");
        Assert.True(job.State == JobState.Succeeded, job.Error + farm.Output);
        var folder = Path.Combine(farm.StoreFolder, job.Outputs!.ObjectPrefix);

        var master = HlsParser.ParseMaster(await File.ReadAllTextAsync(Path.Combine(folder, OutputLayout.HlsMaster)));
        var cc = Assert.Single(master.Media, m => m.Type == "CLOSED-CAPTIONS");
        Assert.Equal("CC1", cc.Attributes["INSTREAM-ID"]);
        Assert.All(master.Variants, v => Assert.Equal(cc.Attributes["GROUP-ID"], v.Attributes["CLOSED-CAPTIONS"]));
        var mpd = XDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, OutputLayout.DashManifest)));
        var video = mpd.Descendants(Dash + "AdaptationSet").Single(s => (string?)s.Attribute("contentType") == "video");
        Assert.Equal("urn:scte:dash:cc:cea-608:2015", (string?)video.Element(Dash + "Accessibility")?.Attribute("schemeIdUri"));

        foreach (var rendition in video.Elements(Dash + "Representation").Select(r => (string)r.Attribute("id")!))
        {
            var joined = Path.Combine(folder, "..", $"check-{rendition}.mp4");
            await File.WriteAllBytesAsync(joined, [
                .. await File.ReadAllBytesAsync(Path.Combine(folder, $"init-{rendition}.mp4")),
                .. await File.ReadAllBytesAsync(Path.Combine(folder, $"seg-{rendition}-00001.m4s"))]);
            var frames = await Tools.FfprobeAsync("-show_frames", "-read_intervals", "%+#3", "-show_entries", "frame_side_data=side_data_type", "-of", "compact", joined);
            File.Delete(joined);
            Assert.Contains("ATSC A53 Part 4 Closed Captions", frames.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_source_without_captions_signals_none()
    {
        var job = await LadderOutputTests.LadderJobAsync(shared.Farm);
        var folder = Path.Combine(shared.Farm.StoreFolder, job.Outputs!.ObjectPrefix);
        Assert.DoesNotContain("CLOSED-CAPTIONS", await File.ReadAllTextAsync(Path.Combine(folder, OutputLayout.HlsMaster)), StringComparison.Ordinal);
        Assert.DoesNotContain("Accessibility", await File.ReadAllTextAsync(Path.Combine(folder, OutputLayout.DashManifest)), StringComparison.Ordinal);
    }

    /// <summary>A 3 s 320x240 H.264 MP4 whose every picture carries an A/53 caption SEI.</summary>
    internal static async Task<string> CaptionedSourceAsync()
    {
        var dir = Directory.CreateTempSubdirectory("captions-").FullName;
        var raw = Path.Combine(dir, "plain.h264");
        var made = await Tools.FfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=3", "-c:v", "libx264", "-preset", "ultrafast",
            "-pix_fmt", "yuv420p", "-metadata", "title=captions", "-f", "h264", raw);
        Assert.True(made.ExitCode == 0, made.Stderr);
        var captioned = Path.Combine(dir, "captioned.h264");
        await File.WriteAllBytesAsync(captioned, WithCaptions(await File.ReadAllBytesAsync(raw)));
        var mp4 = Path.Combine(dir, "captioned.mp4");
        made = await Tools.FfmpegAsync("-r", "30", "-f", "h264", "-i", captioned, "-c", "copy", mp4);
        Assert.True(made.ExitCode == 0, made.Stderr);
        return mp4;
    }

    /// <summary>An A/53 SEI NAL before every slice that starts a picture (x264 ultrafast: one slice per picture).</summary>
    private static byte[] WithCaptions(byte[] annexB)
    {
        // CEA-608 pairs with odd parity, control codes sent twice: resume caption loading, row 15, "HI", end of caption
        // (display), then padding.
        byte[][] pairs = [[0x94, 0x20], [0x94, 0x20], [0x94, 0x70], [0x94, 0x70], [0xC8, 0x49], [0x94, 0x2F], [0x94, 0x2F]];
        var output = new List<byte>(annexB.Length + 4096);
        var picture = 0;
        foreach (var nal in Nals(annexB))
        {
            if ((nal[0] & 0x1F) is 1 or 5)
            {
                var pair = picture < pairs.Length ? pairs[picture] : [0x80, 0x80];
                picture++;
                // user_data_registered_itu_t_t35: USA (0xB5), ATSC (0x0031), "GA94", cc_data (type 3): process_cc_data_flag,
                // cc_count 1, em_data, one field-1 608 pair (marker bits, cc_valid, cc_type 0), marker bits.
                byte[] payload = [0xB5, 0x00, 0x31, (byte)'G', (byte)'A', (byte)'9', (byte)'4', 0x03, 0x41, 0xFF, 0xFC, pair[0], pair[1], 0xFF];
                output.AddRange([0, 0, 0, 1, 0x06, 0x04, (byte)payload.Length, .. payload, 0x80]);
            }

            output.AddRange([0, 0, 0, 1, .. nal]);
        }

        return [.. output];
    }

    private static IEnumerable<byte[]> Nals(byte[] s)
    {
        var starts = new List<int>();
        for (var i = 0; i + 2 < s.Length; i++)
        {
            if (s[i] == 0 && s[i + 1] == 0 && s[i + 2] == 1)
            {
                starts.Add(i + 3);
                i += 2;
            }
        }

        for (var n = 0; n < starts.Count; n++)
        {
            var end = n + 1 < starts.Count ? starts[n + 1] - 3 : s.Length;
            while (end > starts[n] && s[end - 1] == 0)
            {
                end--; // the zero byte of a 4-byte start code belongs to no NAL
            }

            yield return s[starts[n]..end];
        }
    }
}
