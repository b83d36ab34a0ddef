using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Worker.Jobs;

namespace TranscodeFarm.Cli.Commands;

public static class JobsCommands
{
    public static Command Create()
    {
        var cmd = new Command("jobs", "List, inspect, retry and cancel jobs");
        cmd.Subcommands.Add(List());
        cmd.Subcommands.Add(Show());
        cmd.Subcommands.Add(Simple("retry", "Queue a failed, dead or cancelled job again", (control, id, ct) => control.RetryAsync(id, ct)));
        cmd.Subcommands.Add(Simple("cancel", "Cancel a queued job, or stop a running one", (control, id, ct) => control.CancelAsync(id, ct)));
        return cmd;
    }

    private static Command List()
    {
        var state = new Option<string?>("--state") { Description = "Only jobs in this state (queued, running, succeeded, failed, dead, cancelled)" };
        var limit = new Option<int>("--limit") { Description = "How many (newest first)", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var cmd = new Command("list", "List jobs, newest first");
        cmd.Options.Add(state);
        cmd.Options.Add(limit);
        cmd.Options.Add(json);
        cmd.SetAction(async (parse, ct) =>
        {
            using var farm = await FarmServices.CreateWithQueueAsync(parse, ct);
            JobState? filter = null;
            if (parse.GetValue(state) is { } s)
            {
                filter = Enum.TryParse<JobState>(s, ignoreCase: true, out var v) ? v : throw new CliException($"--state: unknown state '{s}'");
            }

            var jobs = await farm.Queue.ListAsync(filter, parse.GetValue(limit), ct);
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(jobs);
                return 0;
            }

            CliOutput.WriteTable(["id", "state", "source", "profile", "attempts", "updated", "progress / error"], jobs.Select(j => (IReadOnlyList<string>)
            [
                j.Id, j.State.ToWire(), j.SourceName, j.Profile, $"{j.Attempts}/{j.MaxAttempts}",
                j.UpdatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
                j.State == JobState.Running && j.Progress is { } p ? $"{p.Stage.Name()} {p.Fraction:P0}" : (j.Error ?? "").Split('\n')[0],
            ]));
            return 0;
        });
        return cmd;
    }

    private static Command Show()
    {
        var id = new Argument<string>("id") { Description = "Job id" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var cmd = new Command("show", "Show one job with its outputs and history");
        cmd.Arguments.Add(id);
        cmd.Options.Add(json);
        cmd.SetAction(async (parse, ct) =>
        {
            using var farm = await FarmServices.CreateWithQueueAsync(parse, ct);
            var job = await farm.Queue.GetAsync(parse.GetValue(id)!, ct) ?? throw new CliException($"no job '{parse.GetValue(id)}'");
            var events = await farm.Queue.EventsAsync(job.Id, ct);
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(new { job, events });
                return 0;
            }

            Console.WriteLine($"job      {job.Id}");
            Console.WriteLine($"state    {job.State.ToWire()} (attempt {job.Attempts} of {job.MaxAttempts})");
            Console.WriteLine($"source   {job.SourceName}  [{job.SourcePath}]");
            Console.WriteLine($"profile  {job.Profile}, priority {job.Priority}");
            if (job.Error is not null)
            {
                Console.WriteLine($"error    {job.Error}");
            }

            if (job.Outputs is not null)
            {
                JobView.PrintOutcome(job, farm.EdgeUrl);
            }

            Console.WriteLine("history:");
            foreach (var e in events)
            {
                Console.WriteLine($"  {e.At:u}  {e.State,-10} {e.WorkerId ?? "-",-24} {e.Message}");
            }

            return 0;
        });
        return cmd;
    }

    private static Command Simple(string name, string description, Func<JobControl, string, CancellationToken, Task<JobControlResult>> action)
    {
        var id = new Argument<string>("id") { Description = "Job id" };
        var cmd = new Command(name, description);
        cmd.Arguments.Add(id);
        cmd.SetAction(async (parse, ct) =>
        {
            using var farm = await FarmServices.CreateWithQueueAsync(parse, ct);
            var result = await action(farm.Get<JobControl>(), parse.GetValue(id)!, ct);
            switch (result.Outcome)
            {
                case JobControlOutcome.Done:
                    Console.WriteLine(result.Message);
                    return 0;
                case JobControlOutcome.SourceGone:
                    throw new CliException(result.Message);
                default:
                    Console.Error.WriteLine(result.Message);
                    return 1;
            }
        });
        return cmd;
    }
}
