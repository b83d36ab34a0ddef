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
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(workers, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { WriteIndented = true }));
                return 0;
            }

            var table = new Table().AddColumns("id", "host", "slots", "capabilities", "version", "heartbeat", "status");
            var now = TimeProvider.System.GetUtcNow();
            foreach (var w in workers)
            {
                var age = now - w.HeartbeatAt;
                var alive = age < farm.Worker.LeaseDuration;
                table.AddRow(w.Id, w.Host, w.Slots.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(" ", w.Capabilities), w.Version,
                    $"{age.TotalSeconds:0} s ago", alive ? "[green]alive[/]" : "[red]silent[/]");
            }

            AnsiConsole.Write(table);
            Console.WriteLine($"{workers.Count} worker(s) in {farm.Get<FarmDatabase>().Describe}");
            return 0;
        });
        return cmd;
    }
}
