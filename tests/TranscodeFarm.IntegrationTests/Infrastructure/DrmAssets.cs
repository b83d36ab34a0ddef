using System.Buffers.Binary;
using System.Text.Json;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Packaging;

namespace TranscodeFarm.IntegrationTests.Infrastructure;

/// <summary>
/// Encrypted assets made by the shared farm from the same clip as the clear ladder job, so decrypted frames can be
/// compared with the clear output of the same (deterministic) encode. Each is made once per test run.
/// </summary>
public static class DrmAssets
{
    private static readonly Dictionary<string, Task<JobRecord>> Jobs = [];
    private static readonly Lock Gate = new();

    /// <param name="extra">More "drm" fields, e.g. <c>, "clearLeadSeconds": 2</c>.</param>
    public static Task<JobRecord> JobAsync(FarmProcess farm, string scheme, string systems = "\"clearkey\", \"widevine\"", string extra = "")
    {
        lock (Gate)
        {
            var name = systems == "\"clearkey\", \"widevine\"" && extra.Length == 0 ? $"drm {scheme}" : $"drm {scheme} {new string((systems + extra).Where(char.IsLetter).ToArray())}";
            if (!Jobs.TryGetValue(name, out var job))
            {
                Jobs[name] = job = DropAsync(farm, name, scheme, systems, extra);
            }

            return job;
        }
    }

    private static async Task<JobRecord> DropAsync(FarmProcess farm, string baseName, string scheme, string systems, string extra)
    {
        var name = $"{baseName}.mp4";
        Directory.CreateDirectory(farm.DropFolder);
        var sidecar = "{\"drm\": {\"scheme\": \"" + scheme + "\", \"systems\": [" + systems + "]" + extra + "}}";
        await File.WriteAllTextAsync(Path.Combine(farm.DropFolder, $"{baseName}.json"), sidecar);
        farm.Drop(await TestMedia.ClipAsync(320, 240, 6), name);
        var job = await farm.WaitForJobAsync(name);
        Assert.True(job.State == JobState.Succeeded, job.Error + farm.Output);
        return job;
    }

    /// <summary>A playback token from the CLI, as an operator's token service would mint it.</summary>
    public static async Task<string> TokenAsync(FarmProcess farm, string assetId, string? ttl = null)
    {
        string[] args = ttl is null ? ["token", assetId] : ["token", assetId, "--ttl", ttl];
        var result = await Tools.CliAsync(FarmProcess.TestEnvironment(farm.DataDirectory), args);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result.Stdout.Trim();
    }

    public static Guid KidOf(byte[] init)
    {
        var moov = Mp4BoxParser.Parse(init).Single(b => b.Type == FourCc.Moov);
        var tenc = moov.Find(FourCc.Trak, FourCc.Mdia, FourCc.Minf, FourCc.Stbl, FourCc.Stsd)!.Children![0].Find(FourCc.Sinf, FourCc.Schi, FourCc.Tenc)!;
        return new Guid(tenc.Body.AsSpan(8, 16), bigEndian: true);
    }

    public static async Task<byte[]> KeyAsync(FarmProcess farm, string assetId, Guid kid)
    {
        var token = await TokenAsync(farm, assetId);
        return await farm.Http.GetByteArrayAsync(new Uri($"/keys/{assetId}/{kid:N}?token={token}", UriKind.Relative));
    }

    /// <summary>framemd5 of one segment decoded with its init segment (optionally decrypting with a key).</summary>
    public static async Task<(int ExitCode, string Frames)> FrameMd5Async(string folder, string init, string segment, byte[]? key)
    {
        var joined = Path.Combine(Directory.CreateTempSubdirectory("transcodefarm-decrypt-").FullName, "joined.mp4");
        await File.WriteAllBytesAsync(joined, [.. await File.ReadAllBytesAsync(Path.Combine(folder, init)), .. await File.ReadAllBytesAsync(Path.Combine(folder, segment))]);
        List<string> args = key is null ? [] : ["-decryption_key", Convert.ToHexStringLower(key)];
        var r = await Tools.FfmpegAsync([.. args, "-i", joined, "-map", "0", "-f", "framemd5", "-"]);
        var frames = string.Join('\n', r.Stdout.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')));
        return (r.ExitCode, frames);
    }

    public static string ClearKeyRequest(params Guid[] kids) =>
        JsonSerializer.Serialize(new { kids = kids.Select(k => Base64Url(k.ToByteArray(bigEndian: true))).ToArray(), type = "temporary" });

    public static string Base64Url(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(at));
}
