using Spectre.Console;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Queue;

namespace TranscodeFarm.Cli;

/// <summary>Shows a job's progress until it ends, then its outcome and the URLs a player can open.</summary>
public static class JobView
{
    public static async Task<JobRecord?> FollowAsync(IJobQueue queue, string jobId, CancellationToken cancellationToken)
    {
        JobRecord? job = null;
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            // Plain lines when not on a terminal (CI logs, pipes): one per stage change or 10 % step.
            var last = "";
            while (!cancellationToken.IsCancellationRequested)
            {
                job = await queue.GetAsync(jobId, cancellationToken);
                if (job is null || job.State.IsTerminal())
                {
                    return job;
                }

                var line = Describe(job, step: true);
                if (line != last)
                {
                    Console.WriteLine(line);
                    last = line;
                }

                await Task.Delay(500, cancellationToken);
            }

            return job;
        }

        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"job {jobId}", maxValue: 100);
                while (!cancellationToken.IsCancellationRequested)
                {
                    job = await queue.GetAsync(jobId, cancellationToken);
                    if (job is null || job.State.IsTerminal())
                    {
                        task.Value = job?.State == JobState.Succeeded ? 100 : task.Value;
                        task.StopTask();
                        return;
                    }

                    task.Description = Markup.Escape(Describe(job, step: false));
                    task.Value = Percent(job);
                    await Task.Delay(250, cancellationToken);
                }
            });
        return job;
    }

    public static void PrintOutcome(JobRecord job, string edgeUrl)
    {
        if (job.State == JobState.Succeeded && job.Outputs is { } o)
        {
            Console.WriteLine($"job {job.Id} succeeded: {o.Renditions.Count} renditions, {o.ObjectCount} objects, {o.TotalBytes / 1024.0:0} KiB");
            Console.WriteLine($"  HLS:  {edgeUrl}/vod/{o.HlsMaster}");
            if (o.DashManifest.Length > 0)
            {
                Console.WriteLine($"  DASH: {edgeUrl}/vod/{o.DashManifest}");
            }

            if (o.AliasOf is not null)
            {
                Console.WriteLine($"  not encoded: it duplicates asset {o.AliasOf} (Fingerprint:Duplicates=alias); the URLs above are that asset's");
            }

            foreach (var m in o.Matches ?? [])
            {
                Console.WriteLine(System.FormattableString.Invariant(
                    $"  {m.Kind} of {m.Collection}/{m.EntryId} ({m.Name}): score {m.Score:0.00}, offset {m.OffsetSeconds:0.0} s, {m.MatchedSeconds:0.0} s matched"));
            }
        }
        else
        {
            Console.WriteLine($"job {job.Id} {job.State.ToWire()}: {job.Error}");
        }
    }

    private static double Percent(JobRecord job) => job.Progress is { } p ? p.Stage switch
    {
        "probe" => 1,
        "encode" => 2 + (p.Fraction * 93),
        "package" => 96,
        "qc" => 97,
        "publish" => 98,
        _ => 100,
    } : 0;

    private static string Describe(JobRecord job, bool step)
    {
        var p = job.Progress;
        if (job.State == JobState.Queued || p is null)
        {
            return $"{job.SourceName}: {job.State.ToWire()}";
        }

        var percent = step ? Math.Floor(Percent(job) / 10) * 10 : Percent(job);
        var speed = p.Speed is { } s && !step ? $" at {s:0.0}x" : "";
        return $"{job.SourceName}: {p.Stage}{speed}" + (step ? $" {percent:0}%" : "");
    }
}
