using System.Text.Json;
using TranscodeFarm.Core.Subtitles;

namespace TranscodeFarm.Worker.Ingest;

/// <summary>
/// A subtitle file that came with a dropped video: where the farm put it in the processing folder (null when the sidecar
/// named a file that was not there), the producer's name for it, and what the name or sidecar says about it.
/// </summary>
public sealed record SubtitleCompanion(string? Stored, string Original, string? Language, string? Name, bool Forced, bool Sdh, bool Default, bool Optional);

/// <summary>
/// Subtitle files travel with their video through the drop folder: when the video is taken, the files its sidecar lists
/// and the ones named after it ("film.srt", "film.en.srt", "film.fr.forced.vtt", <see cref="SubtitleFileName"/>) are
/// renamed into the video's processing folder as "subtitle-N.srt|vtt" (a rename opens nothing; the worker opens them
/// under <see cref="UntrustedFile"/>'s rules), and "subtitles.json" (the farm's own file) says what each was. When the
/// job ends they go back beside the video in done/ or failed/ under their own names.
/// </summary>
public static class SubtitleCompanions
{
    public const string ListFile = "subtitles.json";

    /// <summary>Of one video, however many names match: more is a producer's mistake, not a reason to hold the drop folder.</summary>
    public const int MaxFiles = 32;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Moves the video's subtitle files from the drop folder into its processing folder and lists them.</summary>
    public static async Task<IReadOnlyList<SubtitleCompanion>> TakeAsync(string dropFolder, string videoName, Sidecar? sidecar, string processingFolder, CancellationToken cancellationToken)
    {
        var companions = new List<SubtitleCompanion>();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in sidecar?.Subtitles ?? [])
        {
            listed.Add(s.File);
            var stored = Take(dropFolder, s.File, processingFolder, companions.Count);
            companions.Add(new SubtitleCompanion(stored, s.File, s.Language, s.Name, s.Forced, s.Sdh, s.Default, s.Optional));
        }

        var beside = Directory.EnumerateFiles(dropFolder)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => !listed.Contains(n) && !n.StartsWith('.'))
            .Select(n => (Name: n, Tags: SubtitleFileName.Match(videoName, n)))
            .Where(m => m.Tags is not null)
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .Take(Math.Max(0, MaxFiles - companions.Count))
            .ToList();
        foreach (var (name, tags) in beside)
        {
            if (Take(dropFolder, name, processingFolder, companions.Count) is { } stored)
            {
                companions.Add(new SubtitleCompanion(stored, name, tags!.Language, null, tags.Forced, tags.HearingImpaired, tags.Default, Optional: false));
            }
        }

        if (companions.Count > 0)
        {
            await File.WriteAllTextAsync(Path.Combine(processingFolder, ListFile), JsonSerializer.Serialize(companions, Json), cancellationToken);
        }

        return companions;
    }

    /// <summary>The subtitle files of the job whose source is <paramref name="sourcePath"/> (none when there is no list).</summary>
    public static async Task<IReadOnlyList<SubtitleCompanion>> LoadAsync(string sourcePath, CancellationToken cancellationToken)
    {
        var list = Path.Combine(Path.GetDirectoryName(sourcePath)!, ListFile);
        if (!UntrustedFile.Exists(list))
        {
            return [];
        }

        var (text, refusal) = await UntrustedFile.ReadSmallTextAsync(list, 256 * 1024, cancellationToken);
        return text is null
            ? throw new IOException($"{ListFile} is unreadable: {refusal}")
            : JsonSerializer.Deserialize<List<SubtitleCompanion>>(text, Json) ?? [];
    }

    /// <summary>Puts the subtitle files back beside the video that moved to <paramref name="movedFile"/> (done/ or failed/).</summary>
    public static void KeepBeside(string processingFolder, string movedFile)
    {
        var list = Path.Combine(processingFolder, ListFile);
        if (!UntrustedFile.Exists(list))
        {
            return;
        }

        List<SubtitleCompanion>? companions;
        try
        {
            companions = JsonSerializer.Deserialize<List<SubtitleCompanion>>(File.ReadAllText(list), Json);
        }
        catch (JsonException)
        {
            return; // the farm's own file, damaged: the folder goes, the producer still has the video and its report
        }

        foreach (var c in companions ?? [])
        {
            var stored = c.Stored is null ? null : Path.Combine(processingFolder, c.Stored);
            if (stored is not null && UntrustedFile.Exists(stored) && Sidecar.IsBareName(c.Original))
            {
                DropFolderLayout.Move(stored, DropFolderLayout.UniquePath(Path.GetDirectoryName(movedFile)!, c.Original));
            }
        }
    }

    /// <summary>Renames one file in (whatever it is: a link or FIFO is refused by the worker when it opens it); null when absent.</summary>
    private static string? Take(string dropFolder, string name, string processingFolder, int index)
    {
        var from = Path.Combine(dropFolder, name);
        if (!Sidecar.IsBareName(name) || !UntrustedFile.Exists(from))
        {
            return null;
        }

        var stored = $"subtitle-{index + 1}{(SubtitleFileName.IsWebVtt(name) ? ".vtt" : ".srt")}";
        try
        {
            DropFolderLayout.Move(from, Path.Combine(processingFolder, stored));
            return stored;
        }
        catch (IOException)
        {
            return null; // gone meanwhile
        }
    }
}
