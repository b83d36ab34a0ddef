using System.CommandLine;
using Microsoft.Extensions.Configuration;

namespace TranscodeFarm.Cli;

/// <summary>Options every command accepts, and how they layer into configuration.</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> DataDir = new("--data-dir")
    {
        Description = "Data directory of the embedded farm (queue, store, drop folder). Default: ./data",
        Recursive = true,
    };

    public static readonly Option<FileInfo?> Config = new("--config")
    {
        Description = "A JSON configuration file (same shape as appsettings.json)",
        Recursive = true,
    };

    public static readonly Option<string?> Profiles = new("--profiles-dir")
    {
        Description = "Folder of ladder profile JSON files. Default: the ffmpeg-profiles shipped with the program",
        Recursive = true,
    };

    public static readonly Option<string?> Queue = new("--queue")
    {
        Description = "Job queue: empty for the embedded SQLite database, or postgres://user:password@host:port/db (farm mode)",
        Recursive = true,
    };

    public static readonly Option<string?> Store = new("--store")
    {
        Description = "Where assets are published: empty for DATA/store, or s3://bucket/prefix/ (endpoint and keys: Store:* settings)",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(Store);
        root.Options.Add(Queue);
        root.Options.Add(DataDir);
        root.Options.Add(Config);
        root.Options.Add(Profiles);
    }

    /// <summary>
    /// Layers, later wins: ./appsettings.json, --config FILE, TRANSCODEFARM__Section__Key environment variables,
    /// then command-line flags.
    /// </summary>
    public static void Apply(IConfigurationBuilder builder, ParseResult parse, IDictionary<string, string?>? flags = null)
    {
        builder.AddJsonFile(Path.Combine(Environment.CurrentDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        if (parse.GetValue(Config) is { } file)
        {
            if (!file.Exists)
            {
                throw new CliException($"--config: file '{file.FullName}' does not exist");
            }

            builder.AddJsonFile(file.FullName, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables("TRANSCODEFARM__");
        var values = new Dictionary<string, string?>(flags ?? new Dictionary<string, string?>());
        if (parse.GetValue(DataDir) is { } dataDir)
        {
            values["Farm:DataDirectory"] = dataDir;
        }

        if (parse.GetValue(Store) is { } store)
        {
            values["Store:Url"] = store;
        }

        if (parse.GetValue(Queue) is { } queue)
        {
            values["Queue:Url"] = queue;
        }

        if (parse.GetValue(Profiles) is { } profiles)
        {
            values["Farm:ProfilesDirectory"] = profiles;
        }

        builder.AddInMemoryCollection(values.Where(kv => kv.Value is not null));
    }

    public static IConfiguration Build(ParseResult parse, IDictionary<string, string?>? flags = null)
    {
        var builder = new ConfigurationBuilder();
        Apply(builder, parse, flags);
        return builder.Build();
    }
}

/// <summary>A user error: printed as one line, exit code 2.</summary>
public sealed class CliException(string message) : Exception(message);
