using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace TranscodeFarm.Cli.Commands;

public static class ProfilesCommands
{
    public static Command Create()
    {
        var list = new Command("list", "List the ladder profiles");
        list.SetAction(parse =>
        {
            using var farm = FarmServices.Create(parse);
            CliOutput.WriteTable(["name", "renditions", "segment", "description"], farm.Profiles.All.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => (IReadOnlyList<string>)
            [
                p.Name,
                string.Join(" ", p.Video.Select(v => $"{v.Height}p@{v.BitrateKbps}k").Concat(p.Audio.Select(a => $"aac@{a.BitrateKbps}k"))),
                $"{p.SegmentSeconds} s",
                p.Description,
            ]));
            Console.WriteLine($"from {farm.Profiles.Directory}");
            return 0;
        });

        var name = new Argument<string>("name") { Description = "Profile name" };
        var show = new Command("show", "Print a profile as JSON");
        show.Arguments.Add(name);
        show.SetAction(parse =>
        {
            using var farm = FarmServices.Create(parse);
            var profile = farm.Profiles.Find(parse.GetValue(name)!) ?? throw new CliException($"unknown profile '{parse.GetValue(name)}' (available: {farm.Profiles.Names})");
            CliOutput.WriteJson(profile);
            return 0;
        });

        var cmd = new Command("profiles", "Ladder profiles");
        cmd.Subcommands.Add(list);
        cmd.Subcommands.Add(show);
        return cmd;
    }
}
