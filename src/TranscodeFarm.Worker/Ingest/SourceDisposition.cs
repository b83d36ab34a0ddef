using System.Text.Json;
using Microsoft.Extensions.Logging;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Queue;

namespace TranscodeFarm.Worker.Ingest;

/// <summary>
/// Puts a job's source where it belongs once the job has ended: a drop-folder file moves to done/, or to
/// failed/ next to a "&lt;name&gt;.error.json" that tells the producer what to fix; a submitted source is deleted once
/// its job will not run again (<see cref="SubmittedSources.ReleaseAsync"/>). Nothing is ever deleted from the drop folder itself.
/// </summary>
public sealed partial class SourceDisposition(IJobQueue queue, DropFolderLayout layout, SubmittedSources submitted, S3Ingest s3Ingest, TimeProvider time, ILogger<SourceDisposition> logger)
{
    // Relaxed escaping: the report is read by people, and "can't" must not become "can\u0027t".
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public async Task SettleAsync(JobRecord job, CancellationToken cancellationToken)
    {
        if (!job.State.IsTerminal())
        {
            return;
        }

        if (job.Origin == JobOrigin.S3Prefix)
        {
            if (s3Ingest.For(job.SourcePath) is { } location)
            {
                await location.SettleAsync(job, job.State == JobState.Succeeded ? null : Report(Path.GetFileName(job.SourceName), job), cancellationToken);
            }

            return;
        }

        if (job.Origin == JobOrigin.Submit)
        {
            await submitted.ReleaseAsync(job, cancellationToken);
            return;
        }

        // Only files still in the processing area are ours to move (a retried job's file may already sit in failed/).
        if (!job.SourcePath.StartsWith(layout.Processing + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(job.SourcePath))
        {
            return;
        }

        var folder = Path.GetDirectoryName(job.SourcePath)!;
        var succeeded = job.State == JobState.Succeeded;
        var destination = DropFolderLayout.UniquePath(succeeded ? layout.Done : layout.Failed, job.SourceName);
        File.Move(job.SourcePath, destination);
        KeepSidecar(folder, destination);
        if (!succeeded)
        {
            await WriteErrorReportAsync(destination, job, cancellationToken);
        }

        await queue.UpdateSourcePathAsync(job.Id, destination, cancellationToken);
        Directory.Delete(folder, recursive: true);
        LogSettled(logger, job.Id, job.State.ToWire(), destination);
    }

    /// <summary>A producer's sidecar travels with its file to done/ or failed/ as "&lt;name&gt;.json"; its subtitle files
    /// under their own names.</summary>
    public static void KeepSidecar(string processingFolder, string movedFile)
    {
        SubtitleCompanions.KeepBeside(processingFolder, movedFile);
        var sidecar = Path.Combine(processingFolder, DropFolderLayout.SidecarFile);
        // Without following: a refused sidecar (a link to /dev/zero) travels as the link it is.
        if (UntrustedFile.Exists(sidecar) && !UntrustedFile.Exists(movedFile + ".json"))
        {
            DropFolderLayout.Move(sidecar, movedFile + ".json");
        }
    }

    public async Task WriteErrorReportAsync(string movedFile, JobRecord job, CancellationToken cancellationToken) =>
        await WriteErrorReportAsync(movedFile, Report(Path.GetFileName(movedFile), job), cancellationToken);

    private ErrorReport Report(string file, JobRecord job) =>
        new(file, job.Id, job.State.ToWire(), FirstLine(job.Error), Rest(job.Error), job.Profile, job.Attempts, time.GetUtcNow());

    /// <summary>Written whole, then renamed into place: a producer (or a script) that sees the report can read all of it.</summary>
    public static async Task WriteErrorReportAsync(string movedFile, ErrorReport report, CancellationToken cancellationToken)
    {
        var path = movedFile + ".error.json";
        var partial = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".part");
        await File.WriteAllTextAsync(partial, JsonSerializer.Serialize(report, Indented), cancellationToken);
        File.Move(partial, path, overwrite: true);
    }

    private static string FirstLine(string? error) => (error ?? "unknown error").Split('\n')[0];

    private static string? Rest(string? error)
    {
        var nl = error?.IndexOf('\n', StringComparison.Ordinal) ?? -1;
        return nl < 0 ? null : error![(nl + 1)..];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} {State}: source moved to {Destination}")]
    private static partial void LogSettled(ILogger logger, string jobId, string state, string destination);
}

/// <summary>What a producer finds next to a failed file.</summary>
public sealed record ErrorReport(string File, string? JobId, string State, string Reason, string? Detail, string? Profile, int Attempts, DateTimeOffset FailedAt);
