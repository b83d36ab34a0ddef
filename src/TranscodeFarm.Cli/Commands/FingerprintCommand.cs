using System.CommandLine;
using System.Text.Json;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Media;
using TranscodeFarm.Worker.Ingest;

namespace TranscodeFarm.Cli.Commands;

/// <summary>
/// `fingerprint FILE [--against REF...] [--json]`: a file's video and audio fingerprints, and where it matches reference
/// files (asset, score, offset, matched duration). The farm-wide index, ingest policies and the QC gate build on this.
/// </summary>
public static class FingerprintCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "Media file to fingerprint (decoded once by ffmpeg)" };
        var against = new Option<FileInfo[]>("--against") { Description = "Reference files to match it against", AllowMultipleArgumentsPerToken = true };
        var json = new Option<bool>("--json") { Description = "Print the fingerprint (or the matches) as JSON" };
        var cmd = new Command("fingerprint", "Compute a file's perceptual video fingerprint (2 frames/s) and Chromaprint audio fingerprint; match it against reference files");
        cmd.Arguments.Add(file);
        cmd.Options.Add(against);
        cmd.Options.Add(json);
        cmd.Subcommands.Add(Reindex());
        cmd.SetAction(async (parse, ct) =>
        {
            using var farm = FarmServices.Create(parse);
            var extractor = farm.Get<FingerprintExtractor>();
            var query = await ExtractAsync(extractor, parse.GetValue(file)!, ct);
            var references = parse.GetValue(against) ?? [];
            if (references.Length == 0)
            {
                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(new { video = query.Video.ToJson(), audioItems = query.Audio?.Count ?? 0 }, JsonSerializerOptions.Web));
                }
                else
                {
                    Console.WriteLine($"video: {query.Video.Count} frames ({query.Video.UsableCount} usable) over {query.Video.SpanSeconds:0.0} s; audio: {query.Audio?.Count ?? 0} Chromaprint items ({query.Audio?.DurationSeconds ?? 0:0.0} s)");
                }

                return 0;
            }

            using var index = new FingerprintIndex();
            var audio = new Dictionary<string, AudioFingerprint?>(StringComparer.Ordinal);
            foreach (var reference in references)
            {
                var fp = await ExtractAsync(extractor, reference, ct);
                index.Add(reference.Name, fp.Video);
                audio[reference.Name] = fp.Audio;
            }

            var matches = index.Query(query.Video).Select(m => new
            {
                asset = m.AssetId,
                score = Math.Round(m.Score, 3),
                offsetSeconds = Math.Round(m.OffsetSeconds, 2),
                matchedSeconds = Math.Round(m.MatchedSeconds, 1),
                audio = query.Audio is { } qa && audio[m.AssetId] is { } ra && AudioAligner.Align(qa, ra) is { IsMatch: true } al
                    ? new { offsetSeconds = Math.Round(al.OffsetSeconds, 2), bitErrorRate = Math.Round(al.BitErrorRate, 3) }
                    : null,
            }).ToList();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(matches, CliOutput.Json));
            }
            else
            {
                Console.WriteLine(matches.Count == 0 ? "no match" : string.Join('\n', matches.Select(m =>
                    $"{m.asset}: score {m.score}, offset {m.offsetSeconds} s, {m.matchedSeconds} s matched" +
                    (m.audio is null ? "" : $", audio offset {m.audio.offsetSeconds} s (BER {m.audio.bitErrorRate})"))));
            }

            return matches.Count > 0 ? 0 : 1;
        });
        return cmd;
    }

    /// <summary>
    /// `fingerprint reindex`: re-extracts stored fingerprints older than this build's form (issue 17: centre hashes) from
    /// their sources where the farm still has them; lists the rows that keep their old form and why. Worker hosts do the
    /// same at start (Fingerprint:ReindexAtStart).
    /// </summary>
    private static Command Reindex()
    {
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON" };
        var cmd = new Command("reindex", "Re-extract stored fingerprints older than the current form (version " + VideoFingerprintBinary.Version +
            ": centre hashes for cropped copies) from their sources; rows whose source is gone keep matching with whole-frame hashes only");
        cmd.Options.Add(json);
        cmd.SetAction(async (parse, ct) =>
        {
            using var farm = await FarmServices.CreateWithQueueAsync(parse, ct);
            var summary = await farm.Get<TranscodeFarm.Worker.FingerprintReindexer>().ReindexAsync(ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    version = (int)VideoFingerprintBinary.Version,
                    current = summary.Current,
                    reindexed = summary.Reindexed,
                    kept = summary.Kept.Select(k => new { key = k.Key, reason = k.Reason }),
                }, CliOutput.Json));
            }
            else
            {
                Console.WriteLine($"version {VideoFingerprintBinary.Version}: {summary.Reindexed.Count} re-indexed, {summary.Kept.Count} kept at an older version, {summary.Current} already current");
                foreach (var (key, reason) in summary.Kept)
                {
                    Console.WriteLine($"kept {key}: {reason}");
                }
            }

            return 0;
        });
        return cmd;
    }

    /// <summary>ffmpeg reads the file through a link with a safe name: it never sees the user's file name.</summary>
    internal static async Task<MediaFingerprint> ExtractAsync(FingerprintExtractor extractor, FileInfo source, CancellationToken ct)
    {
        if (!source.Exists)
        {
            throw new CliException($"'{source.FullName}' does not exist");
        }

        var temp = Directory.CreateTempSubdirectory("transcodefarm-fp-");
        try
        {
            var link = Path.Combine(temp.FullName, DropFolderLayout.SafeSourceName(source.Name));
            File.CreateSymbolicLink(link, source.FullName);
            var (fingerprint, error) = await extractor.ExtractAsync(link, ct);
            return fingerprint ?? throw new CliException($"{source.Name}: {error}");
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }
}
