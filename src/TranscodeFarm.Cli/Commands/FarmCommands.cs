using System.CommandLine;
using Spectre.Console;
using TranscodeFarm.Database;
using TranscodeFarm.Queue;

namespace TranscodeFarm.Cli.Commands;

/// <summary>`db migrate` and `workers`: operating a farm's shared queue.</summary>
public static class FarmCommands
{
    public static Command Db()
    {
        var migrate = new Command("migrate", "Create or upgrade the queue schema (run once per release before starting workers)");
        migrate.SetAction(async (parse, ct) =>
        {
            using var farm = FarmServices.Create(parse);
            var database = farm.Get<FarmDatabase>();
            var (from, to) = await database.MigrateAsync(ct);
            Console.WriteLine(from == to ? $"{database.Describe}: schema is current (version {to})" : $"{database.Describe}: migrated schema from version {from} to {to}");
            return 0;
        });
        var cmd = new Command("db", "Queue database maintenance");
        cmd.Subcommands.Add(migrate);
        return cmd;
    }

    public static Command Workers()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var cmd = new Command("workers", "List the worker hosts registered in the queue, with capabilities and heartbeat age");
        cmd.Options.Add(json);
        cmd.SetAction(async (parse, ct) =>
        {
            using var farm = await FarmServices.CreateWithQueueAsync(parse, ct);
            var workers = await farm.Get<IWorkerRegistry>().ListWorkersAsync(ct);
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(workers);
                return 0;
            }

            var now = TimeProvider.System.GetUtcNow();
            CliOutput.WriteTable(["id", "host", "slots", "capabilities", "version", "heartbeat", "status"], workers.Select(w => (IReadOnlyList<string>)
            [
                w.Id, w.Host, w.Slots.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(" ", w.Capabilities), w.Version,
                $"{(now - w.HeartbeatAt).TotalSeconds:0} s ago", now - w.HeartbeatAt < farm.Worker.LeaseDuration ? "alive" : "silent",
            ]), (column, cell) => column == 6 ? (cell == "alive" ? "green" : "red") : null);
            Console.WriteLine($"{workers.Count} worker(s) in {farm.Get<FarmDatabase>().Describe}");
            return 0;
        });
        return cmd;
    }
}
