using System.CommandLine;

namespace TranscodeFarm.Cli;

/// <summary>
/// Examples under every command's <c>--help</c>, kept in one table by command path so a new command without any is caught
/// by a test (which also parses every example against the real command tree: an example that no longer parses fails).
/// </summary>
public static class HelpExamples
{
    public const string Heading = "Examples:";

    public static readonly IReadOnlyDictionary<string, string[]> ByCommand = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [""] = ["transcodefarm demo", "transcodefarm run --slots 2", "transcodefarm jobs list --state failed"],
        ["demo"] = ["transcodefarm demo", "transcodefarm demo film.mp4 --once", "transcodefarm demo --drm cbcs"],
        ["run"] = ["transcodefarm run", "transcodefarm run --url http://0.0.0.0:8080 --slots 2 --drop-folder /srv/drop"],
        ["worker"] = ["transcodefarm worker --queue postgres://farm:secret@db:5432/farm --store s3://media/vod/ --slots 2",
            "transcodefarm worker --no-ingest --metrics-url http://0.0.0.0:9101"],
        ["edge"] = ["transcodefarm edge --queue postgres://farm:secret@db:5432/farm --store s3://media/vod/ --url http://0.0.0.0:8080",
            "transcodefarm edge --origin http://shield:8080/vod/"],
        ["submit"] = ["transcodefarm submit film.mp4 --wait", "transcodefarm submit film.mp4 --profile h264-cmaf --title Film --drm cbcs --require-token"],
        ["jobs"] = ["transcodefarm jobs list", "transcodefarm jobs show 7f3a9c"],
        ["jobs list"] = ["transcodefarm jobs list --state failed", "transcodefarm jobs list --limit 10 --json", "transcodefarm jobs list | cut -f1,2"],
        ["jobs show"] = ["transcodefarm jobs show 7f3a9c", "transcodefarm jobs show 7f3a9c --json"],
        ["jobs retry"] = ["transcodefarm jobs retry 7f3a9c"],
        ["jobs cancel"] = ["transcodefarm jobs cancel 7f3a9c"],
        ["assets"] = ["transcodefarm assets list", "transcodefarm assets purge 7f3a9c"],
        ["assets list"] = ["transcodefarm assets list --limit 20"],
        ["assets purge"] = ["transcodefarm assets purge 7f3a9c"],
        ["assets delete"] = ["transcodefarm assets delete 7f3a9c"],
        ["profiles"] = ["transcodefarm profiles list", "transcodefarm profiles show h264-cmaf"],
        ["profiles list"] = ["transcodefarm profiles list", "transcodefarm profiles list --profiles-dir ./my-profiles"],
        ["profiles show"] = ["transcodefarm profiles show h264-cmaf"],
        ["plan"] = ["transcodefarm plan film.mp4", "transcodefarm plan film.mp4 --profile h264-cmaf --args0"],
        ["workers"] = ["transcodefarm workers --queue postgres://farm:secret@db:5432/farm", "transcodefarm workers --json"],
        ["db"] = ["transcodefarm db migrate --queue postgres://farm:secret@db:5432/farm"],
        ["db migrate"] = ["transcodefarm db migrate --queue postgres://farm:secret@db:5432/farm"],
        ["store"] = ["transcodefarm store init --store s3://media/vod/"],
        ["store init"] = ["transcodefarm store init --store s3://media/vod/"],
        ["keys"] = ["transcodefarm keys list", "transcodefarm keys export 7f3a9c"],
        ["keys import"] = ["transcodefarm keys import vendor.cpix.xml --allow-profile h264-cmaf",
            "transcodefarm keys import vendor.cpix.xml --key-set film-2026 --allow-any --allow-clear-delivery"],
        ["keys list"] = ["transcodefarm keys list"],
        ["keys policy"] = ["transcodefarm keys policy film-2026 --allow-profile h264-cmaf --allow-submitter drop"],
        ["keys export"] = ["transcodefarm keys export 7f3a9c > 7f3a9c.cpix.xml"],
        ["token"] = ["transcodefarm token 7f3a9c", "transcodefarm token 7f3a9c --ttl 00:30:00 --client-ip 203.0.113.7"],
        ["fingerprint"] = ["transcodefarm fingerprint film.mp4 --json", "transcodefarm fingerprint copy.mp4 --against film.mp4 trailer.mp4"],
        ["fingerprint reindex"] = ["transcodefarm fingerprint reindex", "transcodefarm fingerprint reindex --queue postgres://farm:secret@db:5432/farm --json"],
        ["match"] = ["transcodefarm match upload.mp4", "transcodefarm match --asset 7f3a9c --json"],
        ["collection"] = ["transcodefarm collection add blocked leaked.mp4", "transcodefarm collection list"],
        ["collection add"] = ["transcodefarm collection add blocked leaked.mp4 cam-copy.mp4", "transcodefarm collection add references --asset 7f3a9c"],
        ["collection list"] = ["transcodefarm collection list", "transcodefarm collection list blocked"],
        ["collection remove"] = ["transcodefarm collection remove blocked 12"],
    };

    /// <summary>Appends each command's examples to its description (shown by --help).</summary>
    public static void AddTo(Command root)
    {
        foreach (var (path, command) in Walk(root, ""))
        {
            if (ByCommand.TryGetValue(path, out var examples))
            {
                command.Description += "\n\n" + Heading + "\n" + string.Join('\n', examples.Select(e => "  " + e));
            }
        }
    }

    /// <summary>Every command under <paramref name="root"/> with its path ("jobs list"; "" for the root).</summary>
    public static IEnumerable<(string Path, Command Command)> Walk(Command root, string path)
    {
        yield return (path, root);
        foreach (var sub in root.Subcommands)
        {
            foreach (var inner in Walk(sub, path.Length == 0 ? sub.Name : path + " " + sub.Name))
            {
                yield return inner;
            }
        }
    }
}
