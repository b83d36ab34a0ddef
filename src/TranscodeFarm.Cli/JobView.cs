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
        var history = new EventFollower(queue, jobId);
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

                foreach (var note in await history.NewNotesAsync(job, cancellationToken))
                {
                    Console.WriteLine($"{job.SourceName}: {note}");
                    last = "";
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

                    foreach (var note in await history.NewNotesAsync(job, cancellationToken))
                    {
                        AnsiConsole.MarkupLine(Markup.Escape($"{job.SourceName}: {note}"));
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

            if (o.SourceScan is not null)
            {
                Console.WriteLine($"  source: {o.SourceScan}");
            }

            if (o.AliasOf is not null)
            {
                Console.WriteLine($"  not encoded: it duplicates asset {o.AliasOf} (Fingerprint:Duplicates=alias); the URLs above are that asset's");
            }

            foreach (var note in o.Notes ?? [])
            {
                Console.WriteLine($"  note: {note}");
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
        PipelineStage.Probe => 1,
        PipelineStage.Encode => 2 + (p.Fraction * 93),
        PipelineStage.Package => 96,
        PipelineStage.Qc => 97,
        PipelineStage.Publish => 98,
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
        return $"{job.SourceName}: {p.Stage.Name()}{speed}" + (step ? $" {percent:0}%" : "");
    }

    /// <summary>
    /// Reads the job's history when its attempt changes and turns what happened to it into lines: a take-over after a lost
    /// lease (which would otherwise look like the progress jumping back to "probe 0%"), a reap, a retry after a failure.
    /// </summary>
    private sealed class EventFollower(IJobQueue queue, string jobId)
    {
        private int _seen = -1;
        private int _attempts = -1;

        public async Task<IReadOnlyList<string>> NewNotesAsync(JobRecord job, CancellationToken cancellationToken)
        {
            if (job.Attempts == _attempts && job.State != JobState.Queued)
            {
                return [];
            }

            _attempts = job.Attempts;
            var events = await queue.EventsAsync(jobId, cancellationToken);
            var first = _seen;
            _seen = events.Count;
            // The events already there when following began are history, not news.
            return first < 0 ? [] : Notes(events, first, job.Attempts);
        }
    }

    /// <summary>Lines for events[from..] that change who runs the job; attempts: the job's attempt count now.</summary>
    public static IReadOnlyList<string> Notes(IReadOnlyList<JobEvent> events, int from, int attempts)
    {
        var lines = new List<string>();
        var claimsAfter = events.Skip(from).Count(IsClaim);
        for (var i = from; i < events.Count; i++)
        {
            var e = events[i];
            var message = e.Message ?? "";
            if (IsClaim(e))
            {
                var attempt = attempts - --claimsAfter;
                var previous = i > 0 ? events[i - 1].Message ?? "" : "";
                if (message.StartsWith("reclaimed after the lease of ", StringComparison.Ordinal))
                {
                    var owner = message["reclaimed after the lease of ".Length..].Replace(" expired", "", StringComparison.Ordinal);
                    lines.Add($"taken over by worker {e.WorkerId} after the lease of {owner} expired (attempt {attempt})");
                }
                else if (previous.StartsWith("lease of ", StringComparison.Ordinal) && previous.Contains("reaped by maintenance", StringComparison.Ordinal))
                {
                    var owner = previous["lease of ".Length..previous.IndexOf(" expired", StringComparison.Ordinal)];
                    lines.Add($"taken over by worker {e.WorkerId} after the lease of {owner} expired (attempt {attempt})");
                }
                else if (attempt > 1)
                {
                    lines.Add($"claimed by worker {e.WorkerId} (attempt {attempt})");
                }
            }
            else if (message.Contains("reaped by maintenance", StringComparison.Ordinal) || message.StartsWith("attempt ", StringComparison.Ordinal)
                     || message.StartsWith("released by", StringComparison.Ordinal))
            {
                lines.Add(message);
            }
        }

        return lines;
    }

    private static bool IsClaim(JobEvent e) => e.State == "running" && e.Message is { } m && (m == "claimed" || m.StartsWith("reclaimed after", StringComparison.Ordinal));
}
