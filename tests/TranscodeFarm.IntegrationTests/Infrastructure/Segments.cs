using System.Globalization;

namespace TranscodeFarm.IntegrationTests.Infrastructure;

public sealed record FirstPacket(double PtsTime, bool IsKeyframe);

/// <summary>ffprobe on a CMAF segment: init segment + media segment make a playable fragment.</summary>
public static class Segments
{
    public static async Task<FirstPacket> FirstPacketAsync(string initPath, string segmentPath)
    {
        var joined = Path.Combine(Path.GetTempPath(), $"tf-seg-{Guid.NewGuid():N}.mp4");
        try
        {
            await using (var output = File.Create(joined))
            {
                foreach (var part in new[] { initPath, segmentPath })
                {
                    await using var input = File.OpenRead(part);
                    await input.CopyToAsync(output);
                }
            }

            var r = await Tools.FfprobeAsync("-select_streams", "0", "-show_entries", "packet=pts_time,flags", "-read_intervals", "%+#1", "-of", "csv=p=0", joined);
            Assert.True(r.ExitCode == 0, r.Stderr);
            var fields = r.Stdout.Trim().Split('\n')[0].Split(',');
            return new FirstPacket(double.Parse(fields[0], CultureInfo.InvariantCulture), fields[1].StartsWith('K'));
        }
        finally
        {
            File.Delete(joined);
        }
    }

    /// <summary>codec_name, width, height, channels of the first stream of a file.</summary>
    public static async Task<Dictionary<string, string>> StreamInfoAsync(params string[] parts)
    {
        var joined = Path.Combine(Path.GetTempPath(), $"tf-seg-{Guid.NewGuid():N}.mp4");
        try
        {
            await using (var output = File.Create(joined))
            {
                foreach (var part in parts)
                {
                    await using var input = File.OpenRead(part);
                    await input.CopyToAsync(output);
                }
            }

            var r = await Tools.FfprobeAsync("-show_entries", "stream=codec_name,codec_type,width,height,channels,profile", "-of", "default=nw=1", joined);
            Assert.True(r.ExitCode == 0, r.Stderr);
            return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split('=', 2))
                .GroupBy(kv => kv[0])
                .ToDictionary(g => g.Key, g => g.First()[1]);
        }
        finally
        {
            File.Delete(joined);
        }
    }
}
