namespace TranscodeFarm.IntegrationTests.Infrastructure;

/// <summary>A profiles folder with a deliberately slow ladder, so a test can act while ffmpeg is encoding.</summary>
public static class SlowProfile
{
    public static string CreateFolder() => FolderWith("slow-test", """
            {
              "name": "slow-test",
              "segmentSeconds": 2,
              "gopSeconds": 1,
              "video": [ { "name": "360p", "height": 360, "bitrateKbps": 800, "preset": "veryslow" } ],
              "audio": [ { "name": "aac", "bitrateKbps": 64, "channels": 1 } ]
            }
            """);

    /// <summary>A profiles folder with the shipped profiles plus one more, <paramref name="name"/>.json.</summary>
    public static string FolderWith(string name, string json)
    {
        var folder = Directory.CreateTempSubdirectory("transcodefarm-profiles-").FullName;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "ffmpeg-profiles"), "*.json"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(folder, name + ".json"), json);
        return folder;
    }

    public static Dictionary<string, string> Environment(string folder) => new()
    {
        ["TRANSCODEFARM__Farm__ProfilesDirectory"] = folder,
        ["TRANSCODEFARM__Farm__DefaultProfile"] = "slow-test",
    };
}
