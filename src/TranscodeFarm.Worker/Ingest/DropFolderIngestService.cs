using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Queue;

namespace TranscodeFarm.Worker.Ingest;

/// <summary>
/// Watches the drop folder by scanning it (inotify misses files on network mounts and says nothing about
/// completeness); where inotify works it only wakes the scan early (decision 023). A file is taken once its size and
/// mtime have been stable for a while: it is renamed into
/// ".processing/&lt;token&gt;/" (atomic), opened there without following a link or waiting on a FIFO, checked on that
/// handle to be a regular file, hashed from it and submitted (decision 015). Nothing is opened before it is taken:
/// the scan and the stability check only stat names, so a FIFO or device can neither block nor be read.
/// </summary>
public sealed partial class DropFolderIngestService(
    DropFolderLayout layout,
    IngestSubmitter submitter,
    SourceDisposition disposition,
    IJobQueue queue,
    ProfileCatalog profiles,
    IOptions<FarmOptions> farmOptions,
    IOptions<IngestOptions> ingestOptions,
    TimeProvider time,
    ILogger<DropFolderIngestService> logger) : BackgroundService
{
    private const string OriginalNameFile = "original.name";
    private readonly Dictionary<string, (long Size, DateTime Mtime, long Since)> _watching = new(StringComparer.Ordinal);

    /// <summary>Released when a name appears in the drop folder (inotify), so the next scan need not wait a whole interval.</summary>
    private readonly SemaphoreSlim _arrived = new(0, 1);

    /// <summary>Files renamed into their name inside the drop folder ("x.mp4.part" → "x.mp4"): the producer's way of saying
    /// the file is complete, so they are taken at the first look, without waiting Ingest:StableFor.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _renamedIn = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        layout.EnsureExists();
        LogWatching(logger, layout.Drop);
        using var watcher = WatchArrivals();
        var scans = 0;
        while (true)
        {
            var failed = false;
            try
            {
                // Reconcile now and then: settles jobs that ended while no worker watched (a CLI cancel, a crash).
                if (scans++ % 10 == 0)
                {
                    await ReconcileAsync(stoppingToken);
                }

                await ScanOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogScanFailed(logger, ex); // a busy database or a vanished file: the next scan tries again
                failed = true;
            }

            await WaitForNextScanAsync(failed, stoppingToken);
        }
    }

    /// <summary>
    /// Until the next scan: a new name in the folder, the moment a file already seen has been stable for
    /// <see cref="IngestOptions.StableFor"/>, or <see cref="IngestOptions.ScanInterval"/>, whichever comes first. The
    /// stability rule is unchanged (the same two looks, StableFor apart); only the wait for the next tick after it is gone,
    /// which cost up to a whole interval (1 s by default) on every file. After a failed scan the files it did not reach
    /// are overdue: the whole interval then, or a failing database would be asked again at once, in a loop.
    /// </summary>
    private async Task WaitForNextScanAsync(bool failed, CancellationToken stoppingToken)
    {
        var wait = ingestOptions.Value.ScanInterval;
        foreach (var seen in _watching.Values)
        {
            var left = ingestOptions.Value.StableFor - time.GetElapsedTime(seen.Since);
            wait = left < wait && !failed ? left : wait;
        }

        if (wait > TimeSpan.Zero)
        {
            // Real time, as JobSignal waits: no test drives this service on a fake clock.
            await _arrived.WaitAsync(wait, stoppingToken);
        }
    }

    /// <summary>
    /// inotify on the folder's names only (created, renamed in): no event per written block, so a producer copying a
    /// big file in place does not make the service scan in a loop. Best effort: where it cannot watch (a network mount,
    /// the inotify limit reached) the scan interval alone finds files, as before.
    /// </summary>
    private FileSystemWatcher? WatchArrivals()
    {
        try
        {
            var watcher = new FileSystemWatcher(layout.Drop) { NotifyFilter = NotifyFilters.FileName, IncludeSubdirectories = false };
            watcher.Created += (_, e) => Arrived(e.Name);
            watcher.Renamed += (_, e) =>
            {
                if (e.Name is not null && DropFolderLayout.IsCandidate(e.Name))
                {
                    _renamedIn[Path.GetFullPath(e.FullPath)] = 0;
                }

                Arrived(e.Name);
            };
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            LogNoWatcher(logger, layout.Drop, ex);
            return null;
        }
    }

    private void Arrived(string? name)
    {
        // Names the scan ignores (*.part being written, hidden files) wake nothing: their rename to the real name will.
        if (name is not null && DropFolderLayout.IsCandidate(name) && _arrived.CurrentCount == 0)
        {
            try
            {
                _arrived.Release();
            }
            catch (SemaphoreFullException)
            {
                // two events at once: one wake-up is enough
            }
        }
    }

    public async Task ScanOnceAsync(CancellationToken cancellationToken)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(layout.Drop).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo || !DropFolderLayout.IsCandidate(entry.Name))
            {
                continue;
            }

            if (entry.LinkTarget is not null)
            {
                await RejectAsync(entry.FullName, entry.Name, null, "symbolic links are not accepted: put the file itself in the drop folder", cancellationToken);
                continue;
            }

            // lstat only: a FIFO, device or socket is refused by name, before anything could open it.
            if (UntrustedFile.KindOf(entry.FullName) is not (FileKind.Regular or FileKind.Missing) and var kind)
            {
                await RejectAsync(entry.FullName, entry.Name, null, "not a regular file: " + UntrustedFile.Describe(kind), cancellationToken);
                continue;
            }

            present.Add(entry.FullName);
            if (IsStable((FileInfo)entry))
            {
                _watching.Remove(entry.FullName);
                await TakeAsync((FileInfo)entry, cancellationToken);
            }
        }

        foreach (var gone in _watching.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _watching.Remove(gone);
        }

        foreach (var gone in _renamedIn.Keys.Where(k => !present.Contains(k) && !File.Exists(k)).ToList())
        {
            _renamedIn.TryRemove(gone, out _); // renamed in and gone again before a scan saw it
        }
    }

    private bool IsStable(FileInfo file)
    {
        if (_renamedIn.TryRemove(file.FullName, out _))
        {
            return true; // written under another name and renamed when done: complete now
        }

        var now = time.GetTimestamp();
        if (!_watching.TryGetValue(file.FullName, out var seen) || seen.Size != file.Length || seen.Mtime != file.LastWriteTimeUtc)
        {
            _watching[file.FullName] = (file.Length, file.LastWriteTimeUtc, now);
            return ingestOptions.Value.StableFor == TimeSpan.Zero;
        }

        return time.GetElapsedTime(seen.Since, now) >= ingestOptions.Value.StableFor;
    }

    private async Task TakeAsync(FileInfo file, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(layout.Processing, JobIds.New());
        Directory.CreateDirectory(folder);
        var owned = Path.Combine(folder, DropFolderLayout.SafeSourceName(file.Name));
        try
        {
            File.Move(file.FullName, owned);
        }
        catch (IOException)
        {
            Directory.Delete(folder, recursive: true); // gone or busy: look again next scan
            return;
        }

        await File.WriteAllTextAsync(Path.Combine(folder, OriginalNameFile), file.Name, cancellationToken);
        // Exists without following: a sidecar that is a link, FIFO or device is moved (a rename opens nothing) and refused when read.
        if (Sidecar.PathsFor(file.FullName).FirstOrDefault(UntrustedFile.Exists) is { } sidecar)
        {
            DropFolderLayout.Move(sidecar, Path.Combine(folder, DropFolderLayout.SidecarFile));
        }

        await TakeSubtitlesAsync(file.Name, folder, cancellationToken);

        LogTaken(logger, file.Name, file.Length);
        await SubmitOwnedAsync(folder, owned, file.Name, cancellationToken);
    }

    /// <summary>
    /// The video's subtitle files come along into its folder (listed by its sidecar, or named after it); a sidecar that
    /// cannot be read lists none here, and is refused with its reason when the job is submitted.
    /// </summary>
    private async Task TakeSubtitlesAsync(string videoName, string folder, CancellationToken cancellationToken)
    {
        var sidecarPath = Path.Combine(folder, DropFolderLayout.SidecarFile);
        var sidecar = UntrustedFile.Exists(sidecarPath) ? (await Sidecar.ReadAsync(sidecarPath, cancellationToken)).Sidecar : null;
        var taken = await SubtitleCompanions.TakeAsync(layout.Drop, videoName, sidecar, folder, cancellationToken);
        if (taken.Count > 0)
        {
            LogSubtitlesTaken(logger, videoName, taken.Count);
        }
    }

    private async Task SubmitOwnedAsync(string folder, string owned, string originalName, CancellationToken cancellationToken)
    {
        // The name was checked before the move; what counts is what now sits there, checked on the handle that is hashed.
        using var source = UntrustedFile.Open(owned);
        if (source.Handle is not { } handle)
        {
            await RejectAsync(owned, originalName, folder, source.Refusal!, cancellationToken);
            return;
        }

        var sidecarPath = Path.Combine(folder, DropFolderLayout.SidecarFile);
        Sidecar? sidecar = null;
        if (UntrustedFile.Exists(sidecarPath))
        {
            (sidecar, var error) = await Sidecar.ReadAsync(sidecarPath, cancellationToken);
            if (error is not null)
            {
                await RejectAsync(owned, originalName, folder, error, cancellationToken);
                return;
            }
        }

        var profile = sidecar?.Profile ?? farmOptions.Value.DefaultProfile;
        if (profiles.Find(profile) is null)
        {
            await RejectAsync(owned, originalName, folder, $"unknown profile '{profile}' (available: {profiles.Names})", cancellationToken);
            return;
        }

        var options = new SourceOptions(profile, sidecar?.Priority ?? 0, sidecar?.Title, Drm: sidecar?.Drm, RequireToken: sidecar?.RequireToken ?? false);
        var hash = await SourceImporter.HashAsync(handle, cancellationToken);
        var result = await submitter.SubmitAsync(new ClaimedSource(owned, originalName, hash, JobOrigin.DropFolder, options), cancellationToken);
        // The job the file now belongs to (its own, or the failed one it retries); a duplicate's folder is gone next.
        await File.WriteAllTextAsync(Path.Combine(folder, DropFolderLayout.JobIdFile), result.Job.Id, cancellationToken);
        if (result.Outcome == IngestOutcome.Duplicate)
        {
            var destination = DropFolderLayout.UniquePath(layout.Done, originalName);
            File.Move(owned, destination);
            SourceDisposition.KeepSidecar(folder, destination);
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task RejectAsync(string path, string originalName, string? folder, string reason, CancellationToken cancellationToken)
    {
        var destination = DropFolderLayout.UniquePath(layout.Failed, originalName);
        DropFolderLayout.Move(path, destination);
        if (folder is not null)
        {
            SourceDisposition.KeepSidecar(folder, destination);
        }

        await SourceDisposition.WriteErrorReportAsync(destination, new ErrorReport(Path.GetFileName(destination), null, "rejected", reason, null, null, 0, time.GetUtcNow()), cancellationToken);
        if (folder is not null)
        {
            Directory.Delete(folder, recursive: true);
        }

        WorkerMetrics.IngestedFiles.WithLabels("rejected").Inc();
        LogRejected(logger, originalName, reason);
    }

    /// <summary>
    /// Settles processing folders whose job has ended and resubmits any a crash left unsubmitted. Each folder on its
    /// own, read with the same safe reader as ingest: one bad folder can neither stop the others nor crash the host
    /// at every start.
    /// </summary>
    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        foreach (var folder in Directory.EnumerateDirectories(layout.Processing))
        {
            try
            {
                await ReconcileFolderAsync(folder, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogReconcileFailed(logger, folder, ex);
            }
        }
    }

    private async Task ReconcileFolderAsync(string folder, CancellationToken cancellationToken)
    {
        var idFile = Path.Combine(folder, DropFolderLayout.JobIdFile);
        if (UntrustedFile.Exists(idFile))
        {
            if (await ReadSmallAsync(idFile, cancellationToken) is { } jobId
                && await queue.GetAsync(jobId, cancellationToken) is { } job && job.State.IsTerminal())
            {
                await disposition.SettleAsync(job, cancellationToken);
            }

            return;
        }

        var source = Directory.EnumerateFileSystemEntries(folder, "source.*").FirstOrDefault();
        if (source is not null && await ReadSmallAsync(Path.Combine(folder, OriginalNameFile), cancellationToken) is { } originalName)
        {
            await SubmitOwnedAsync(folder, source, originalName, cancellationToken);
        }
    }

    /// <summary>The farm's own small files (job.id, original.name): still read under the safe rules, as they sit where producers write.</summary>
    private static async Task<string?> ReadSmallAsync(string path, CancellationToken cancellationToken) =>
        (await UntrustedFile.ReadSmallTextAsync(path, 4096, cancellationToken)).Text?.Trim();

    [LoggerMessage(Level = LogLevel.Information, Message = "Watching drop folder {Folder}")]
    private static partial void LogWatching(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Took {File} ({Bytes} bytes) from the drop folder")]
    private static partial void LogTaken(ILogger logger, string file, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Took {Count} subtitle file(s) with {File}")]
    private static partial void LogSubtitlesTaken(ILogger logger, string file, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {File}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string file, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reconcile the processing folder {Folder}")]
    private static partial void LogReconcileFailed(ILogger logger, string folder, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot watch {Folder} for new files (inotify): it is scanned every Ingest:ScanInterval only")]
    private static partial void LogNoWatcher(ILogger logger, string folder, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drop folder scan failed")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);
}
