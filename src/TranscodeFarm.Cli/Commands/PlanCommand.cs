using System.CommandLine;
using System.Text.Json;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Planning;
using TranscodeFarm.Media;
using TranscodeFarm.Worker.Ingest;

namespace TranscodeFarm.Cli.Commands;

/// <summary>`plan FILE`: what the farm would do with a file, and the exact ffmpeg arguments (for benchmarks and debugging).</summary>
public static class PlanCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "Source media file" };
        var profile = new Option<string?>("--profile") { Description = "Ladder profile (default h264-cmaf)" };
        var output = new Option<string>("--output") { Description = "The fragmented MP4 the ffmpeg arguments write (the farm reads it from stdout instead and packages it)", DefaultValueFactory = _ => "ladder.mp4" };
        var args0 = new Option<bool>("--args0") { Description = "Print only the ffmpeg arguments, NUL-separated (for scripts: no shell parsing)" };
        var cmd = new Command("plan", "Probe a file and print the rendition plan and the ffmpeg arguments the farm would run");
        cmd.Arguments.Add(file);
        cmd.Options.Add(profile);
        cmd.Options.Add(output);
        cmd.Options.Add(args0);
        cmd.SetAction(async (parse, ct) =>
        {
            using var farm = FarmServices.Create(parse);
            var source = parse.GetValue(file)!;
            if (!source.Exists)
            {
                throw new CliException($"'{source.FullName}' does not exist");
            }

            var profileName = parse.GetValue(profile) ?? farm.Farm.DefaultProfile;
            var ladder = farm.Profiles.Find(profileName) ?? throw new CliException($"--profile: unknown profile '{profileName}' (available: {farm.Profiles.Names})");

            // Probe through a link with a safe name: ffprobe never sees the user's file name.
            var temp = Directory.CreateTempSubdirectory("transcodefarm-plan-");
            try
            {
                var link = Path.Combine(temp.FullName, DropFolderLayout.SafeSourceName(source.Name));
                File.CreateSymbolicLink(link, source.FullName);
                var probe = await farm.Get<MediaProber>().ProbeAsync(link, ct);
                if (probe.Source is null)
                {
                    throw new CliException(probe.Error!);
                }

                var prober = farm.Get<MediaProber>();
                var probed = probe.Source.Video is { } video && await prober.DetectScanAsync(link, probe.Source, ct) is { } scan
                    ? probe.Source with { Video = video with { Scan = scan } }
                    : probe.Source;
                var planned = LadderPlanner.Plan(ladder, probed);
                if (planned.Plan is null)
                {
                    throw new CliException(planned.Error!);
                }

                // Exactly what a worker runs: with fingerprinting on, the gray PNG track and the Chromaprint output too.
                var outputPath = Path.GetFullPath(parse.GetValue(output)!);
                var fingerprint = farm.Worker.Fingerprint ? new EncodeFingerprint(probe.Source.Audio is null ? null : outputPath + ".chromaprint") : null;
                var args = EncodeArgumentBuilder.Build(planned.Plan, source.FullName, outputPath, fingerprint);
                if (parse.GetValue(args0))
                {
                    using var stdout = Console.OpenStandardOutput();
                    foreach (var a in args)
                    {
                        stdout.Write(System.Text.Encoding.UTF8.GetBytes(a));
                        stdout.WriteByte(0);
                    }

                    return 0;
                }

                CliOutput.WriteJson(new { source = probe.Source, plan = planned.Plan, ffmpeg = args });
                return 0;
            }
            finally
            {
                temp.Delete(recursive: true);
            }
        });
        return cmd;
    }
}
