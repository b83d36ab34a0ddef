using System.CommandLine;

namespace TranscodeFarm.Cli.Commands;

/// <summary>`run`, `worker` and `edge`: the long-running hosts.</summary>
public static class HostCommands
{
    public static Command Run()
    {
        var url = new Option<string?>("--url") { Description = "Edge URL to listen on (default http://127.0.0.1:8080); also serves /metrics and /healthz" };
        var slots = new Option<int?>("--slots") { Description = "Jobs to run at once (default 1)" };
        var drop = new Option<string?>("--drop-folder") { Description = "Drop folder to watch (default DATA/drop)" };
        var cmd = new Command("run", "Run the embedded farm in one process: drop-folder watcher, queue, worker slots and edge");
        cmd.Options.Add(url);
        cmd.Options.Add(slots);
        cmd.Options.Add(drop);
        cmd.SetAction(async parse =>
        {
            var app = FarmHost.Build(parse, HostRoles.All, new Dictionary<string, string?>
            {
                ["Edge:Url"] = parse.GetValue(url),
                ["Worker:Slots"] = parse.GetValue(slots)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Ingest:DropFolder"] = parse.GetValue(drop),
            });
            return await FarmHost.RunAsync(app);
        });
        return cmd;
    }

    public static Command Worker()
    {
        var metricsUrl = new Option<string?>("--metrics-url") { Description = "Where /metrics and /healthz listen (default http://127.0.0.1:9101)" };
        var slots = new Option<int?>("--slots") { Description = "Jobs to run at once (default 1)" };
        var noIngest = new Option<bool>("--no-ingest") { Description = "Do not watch the drop folder; only run queued jobs" };
        var drop = new Option<string?>("--drop-folder") { Description = "Drop folder to watch (default DATA/drop)" };
        var cmd = new Command("worker", "Run a worker host: takes jobs from the queue and publishes to the store");
        cmd.Options.Add(metricsUrl);
        cmd.Options.Add(slots);
        cmd.Options.Add(noIngest);
        cmd.Options.Add(drop);
        cmd.SetAction(async parse =>
        {
            var app = FarmHost.Build(parse, parse.GetValue(noIngest) ? HostRoles.Worker : HostRoles.Worker | HostRoles.Ingest, new Dictionary<string, string?>
            {
                ["Worker:MetricsUrl"] = parse.GetValue(metricsUrl),
                ["Worker:Slots"] = parse.GetValue(slots)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Ingest:DropFolder"] = parse.GetValue(drop),
            });
            return await FarmHost.RunAsync(app);
        });
        return cmd;
    }

    public static Command Edge()
    {
        var url = new Option<string?>("--url") { Description = "URL to listen on (default http://127.0.0.1:8080)" };
        var origin = new Option<string?>("--origin")
        {
            Description = "Fetch from this HTTP origin instead of the store: a parent edge's http://parent:8080/vod/ (shield tier) or any server (Edge:Origin)",
        };
        var cmd = new Command("edge", "Run an edge host: serves HLS/DASH from the store (or an HTTP origin) through a memory cache");
        cmd.Options.Add(url);
        cmd.Options.Add(origin);
        cmd.SetAction(async parse =>
        {
            var app = FarmHost.Build(parse, HostRoles.Edge, new Dictionary<string, string?> { ["Edge:Url"] = parse.GetValue(url), ["Edge:Origin"] = parse.GetValue(origin) });
            return await FarmHost.RunAsync(app);
        });
        return cmd;
    }
}
