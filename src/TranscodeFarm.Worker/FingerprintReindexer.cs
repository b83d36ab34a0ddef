using Microsoft.Extensions.Logging;
using TranscodeFarm.Catalog;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Media;
using TranscodeFarm.Queue;
using TranscodeFarm.Worker.Ingest;

namespace TranscodeFarm.Worker;

/// <summary>
/// Brings stored fingerprints older than <see cref="VideoFingerprintBinary.Version"/> up to date (issue 17: version 2
/// added centre hashes). Stored rows keep only hashes, not the 64×64 frames they came from, so a row cannot be
/// re-derived: it is re-extracted from its media. A published asset's job still names its source when the source came
/// from the drop folder (it moves to done/); the new fingerprint replaces the row only if it matches the old one at
/// offset ~0 (the file in done/ is still that source). Any other row (submitted or S3 sources, deleted after the job;
/// reference files, never kept) stays as it is and keeps matching with its whole-frame hashes only; it is reported
/// and logged. Re-running is harmless: current rows are skipped.
/// </summary>
public sealed partial class FingerprintReindexer(IFingerprintStore store, IJobQueue queue, FingerprintExtractor extractor, ILogger<FingerprintReindexer> logger)
{
    private const int BatchSize = 200;

    public async Task<ReindexSummary> ReindexAsync(CancellationToken cancellationToken)
    {
        var reindexed = new List<string>();
        var kept = new List<(string Key, string Reason)>();
        var current = 0;
        long after = 0;
        while (true)
        {
            var rows = await store.ReadSinceAsync(after, BatchSize, cancellationToken);
            if (rows.Count == 0)
            {
                break;
            }

            after = rows[^1].Seq;
            foreach (var row in rows)
            {
                if (!row.IsOutdated)
                {
                    current++;
                    continue;
                }

                var reason = await ReindexAsync(row, cancellationToken);
                if (reason is null)
                {
                    reindexed.Add(row.Key);
                    LogReindexed(logger, row.Key, row.VideoVersion, VideoFingerprintBinary.Version);
                }
                else
                {
                    kept.Add((row.Key, reason));
                    LogKept(logger, row.Key, row.VideoVersion, reason);
                }
            }
        }

        return new ReindexSummary(current, reindexed, kept);
    }

    /// <summary>Null when the row was replaced; else why it was kept.</summary>
    private async Task<string?> ReindexAsync(StoredFingerprint row, CancellationToken cancellationToken)
    {
        if (row.Collection != FingerprintCollections.Assets)
        {
            return "a reference file is not kept by the farm: add it again (`collection add`) for centre hashes";
        }

        var job = await queue.GetAsync(row.EntryId, cancellationToken);
        if (job is null || !File.Exists(job.SourcePath))
        {
            return "its source is no longer on disk (submitted and S3 sources are deleted after the job)";
        }

        var fresh = await ExtractAsync(job.SourcePath, job.SourceName, cancellationToken);
        if (fresh.Fingerprint is not { } extracted)
        {
            return $"its source could not be decoded: {fresh.Error}";
        }

        using (var check = new FingerprintIndex())
        {
            check.Add(row.Key, row.Video!);
            var usable = extracted.Video.UsableCount >= new FingerprintIndexOptions().MinMatchedFrames;
            if (usable && !check.Query(extracted.Video).Any(m => Math.Abs(m.OffsetSeconds) <= 0.5))
            {
                return $"the file at its source path no longer matches the stored fingerprint ({job.SourcePath})";
            }
        }

        // The audio is Chromaprint's and did not change: keep the stored words.
        await store.SaveAsync(row.Collection, row.EntryId, row.Name, row.DurationSeconds, extracted.Video, row.Audio, cancellationToken);
        return null;
    }

    /// <summary>ffmpeg reads the source through a link with a safe name: it never sees the producer's file name.</summary>
    private async Task<(MediaFingerprint? Fingerprint, string? Error)> ExtractAsync(string path, string sourceName, CancellationToken cancellationToken)
    {
        var temp = Directory.CreateTempSubdirectory("transcodefarm-reindex-");
        try
        {
            var link = Path.Combine(temp.FullName, DropFolderLayout.SafeSourceName(sourceName));
            File.CreateSymbolicLink(link, path);
            // Decoded in full, as the encode's fingerprint was: the row is indexed, so it should be what the encode makes.
            return await extractor.ExtractAsync(link, cancellationToken, fastDecode: false);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fingerprint {Key} re-indexed from version {From} to {To}")]
    private static partial void LogReindexed(ILogger logger, string key, int from, int to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fingerprint {Key} stays at version {Version} (whole-frame hashes only, no crop robustness): {Reason}")]
    private static partial void LogKept(ILogger logger, string key, int version, string reason);
}

/// <summary>What a re-index did: rows already current, rows re-extracted, rows kept at their old version and why.</summary>
public sealed record ReindexSummary(int Current, IReadOnlyList<string> Reindexed, IReadOnlyList<(string Key, string Reason)> Kept);
