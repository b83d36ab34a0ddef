using System.CommandLine;
using TranscodeFarm.Core.Drm;
using TranscodeFarm.Core.Jobs;

namespace TranscodeFarm.Cli.Commands;

/// <summary>
/// The policy flags of `keys import` and `keys policy`: who may use a key set, and whether the edge may deliver its keys in
/// clear. An operator states who may use it; nothing is allowed by default.
/// </summary>
public sealed class KeySetPolicyOptions
{
    private readonly Option<string[]> _profiles = new("--allow-profile")
    {
        Description = "Jobs of this profile may use the key set (repeatable); without it, any profile",
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly Option<string[]> _submitters = new("--allow-submitter")
    {
        Description = "Jobs from here may use the key set (repeatable): drop (the drop folder), s3 (the S3 ingest prefix), submit (`transcodefarm submit`); without it, any",
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly Option<bool> _any = new("--allow-any")
    {
        Description = "Any job may use the key set (no --allow-profile or --allow-submitter): only for a farm where every producer is trusted",
    };

    private readonly Option<bool> _clear = new("--allow-clear-delivery")
    {
        Description = "The edge may hand the keys to playback-token holders in clear (ClearKey, HLS AES-128); a DRM vendor's keys never should",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_profiles);
        command.Options.Add(_submitters);
        command.Options.Add(_any);
        command.Options.Add(_clear);
    }

    /// <summary>The policy the flags describe; a CliException saying what to give when they describe none.</summary>
    public KeySetPolicy Read(ParseResult parse)
    {
        var profiles = Split(parse.GetValue(_profiles));
        var submitterNames = Split(parse.GetValue(_submitters));
        var any = parse.GetValue(_any);
        if (any && (profiles is not null || submitterNames is not null))
        {
            throw new CliException("--allow-any cannot be combined with --allow-profile or --allow-submitter");
        }

        if (!any && profiles is null && submitterNames is null)
        {
            throw new CliException("say who may use the key set: --allow-profile P and/or --allow-submitter drop|s3|submit (repeatable), or --allow-any");
        }

        foreach (var profile in profiles ?? [])
        {
            if (!Core.Assets.ObjectKeys.IsValid(profile + "/x"))
            {
                throw new CliException($"--allow-profile: '{profile}' is not a profile name");
            }
        }

        List<JobOrigin>? submitters = null;
        if (submitterNames is not null)
        {
            submitters = [];
            foreach (var name in submitterNames)
            {
                submitters.Add(KeySetPolicy.TryParseSubmitter(name, out var origin)
                    ? origin
                    : throw new CliException($"--allow-submitter: '{name}' is not one of {string.Join(", ", KeySetPolicy.SubmitterNames)}"));
            }
        }

        return new KeySetPolicy
        {
            Profiles = profiles,
            Submitters = submitters?.Distinct().ToList(),
            ClearDelivery = parse.GetValue(_clear),
        };
    }

    /// <summary>Repeated flags, each also taking a comma list; null when none was given.</summary>
    private static List<string>? Split(string[]? values)
    {
        if (values is null || values.Length == 0)
        {
            return null;
        }

        var items = values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToList();
        return items.Count > 0 ? items : throw new CliException("--allow-profile and --allow-submitter need a name");
    }
}
