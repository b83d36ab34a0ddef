using System.CommandLine;
using TranscodeFarm.Cli.Commands;

namespace TranscodeFarm.Cli;

/// <summary>The whole command tree, built once: by the program, and by the tests that check every command's help.</summary>
public static class CliRoot
{
    public static RootCommand Create()
    {
        var root = new RootCommand("TranscodeFarm: drop folder → queue → FFmpeg ABR ladder → CMAF HLS + DASH → object store → edge");
        GlobalOptions.AddTo(root);
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(HostCommands.Run());
        root.Subcommands.Add(HostCommands.Worker());
        root.Subcommands.Add(HostCommands.Edge());
        root.Subcommands.Add(SubmitCommand.Create());
        root.Subcommands.Add(JobsCommands.Create());
        root.Subcommands.Add(AssetsCommands.Create());
        root.Subcommands.Add(ProfilesCommands.Create());
        root.Subcommands.Add(PlanCommand.Create());
        root.Subcommands.Add(FarmCommands.Workers());
        root.Subcommands.Add(FarmCommands.Db());
        root.Subcommands.Add(StoreCommands.Create());
        root.Subcommands.Add(KeysCommands.Create());
        root.Subcommands.Add(KeysCommands.Token());
        root.Subcommands.Add(FingerprintCommand.Create());
        root.Subcommands.Add(MatchCommands.Match());
        root.Subcommands.Add(MatchCommands.Collection());
        HelpExamples.AddTo(root);
        return root;
    }
}
