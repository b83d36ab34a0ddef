namespace TranscodeFarm.Worker.Ingest;

/// <summary>
/// The drop folder and its sub-folders. They share one filesystem with the drop folder so every move is an
/// atomic rename: ".processing" (hidden, so never scanned as input), "done" and "failed".
/// </summary>
public sealed class DropFolderLayout(string dropFolder)
{
    public const string JobIdFile = "job.id";
    public const string SidecarFile = "sidecar.json";

    public string Drop { get; } = Path.GetFullPath(dropFolder);

    /// <summary>Ingest:DropFolder, else the data directory's drop/ (the ingest and the web console read the same one).</summary>
    public static DropFolderLayout For(IngestOptions ingest, FarmPaths paths) =>
        new(string.IsNullOrEmpty(ingest.DropFolder) ? paths.DefaultDropFolder : ingest.DropFolder);
    public string Processing => Path.Combine(Drop, ".processing");
    public string Done => Path.Combine(Drop, "done");
    public string Failed => Path.Combine(Drop, "failed");

    public void EnsureExists()
    {
        Directory.CreateDirectory(Drop);
        Directory.CreateDirectory(Processing);
        Directory.CreateDirectory(Done);
        Directory.CreateDirectory(Failed);
    }

    /// <summary>
    /// Files a producer is still writing, or that are not media, are left alone: sidecars (.json) and subtitle files
    /// (.srt, .vtt), which travel with their video (<see cref="SubtitleCompanions"/>).
    /// </summary>
    public static bool IsCandidate(string fileName) =>
        !Core.Subtitles.SubtitleFileName.IsSubtitle(fileName) &&
        !fileName.StartsWith('.')
        && !fileName.EndsWith(".part", StringComparison.OrdinalIgnoreCase)
        && !fileName.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase)
        && !fileName.EndsWith(".crdownload", StringComparison.OrdinalIgnoreCase)
        && !fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A name that cannot surprise any tool: "source" plus a plain lowercase extension. The producer's name is
    /// kept on the job and restored when the file moves to done/ or failed/.
    /// </summary>
    public static string SafeSourceName(string originalName)
    {
        var ext = Path.GetExtension(originalName).TrimStart('.').ToLowerInvariant();
        return ext.Length is > 0 and <= 8 && ext.All(char.IsAsciiLetterOrDigit) ? "source." + ext : "source.bin";
    }

    /// <summary>
    /// Renames whatever a name is (file, link, FIFO, device, directory) without opening or following it: refused
    /// entries go to failed/ as they are.
    /// </summary>
    public static void Move(string from, string to)
    {
        if (UntrustedFile.KindOf(from) == FileKind.Directory)
        {
            Directory.Move(from, to);
        }
        else
        {
            File.Move(from, to);
        }
    }

    /// <summary>A free name in <paramref name="folder"/>: "clip.mp4", then "clip (2).mp4", ...</summary>
    public static string UniquePath(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        var stem = Path.GetFileNameWithoutExtension(name);
        var ext = Path.GetExtension(name);
        for (var n = 2; UntrustedFile.Exists(path) || UntrustedFile.Exists(path + ".error.json"); n++)
        {
            path = Path.Combine(folder, $"{stem} ({n}){ext}");
        }

        return path;
    }
}
