using System.Collections.Concurrent;
using System.Diagnostics;
using TranscodeFarm.Media;

namespace TranscodeFarm.FingerprintEval.Evaluation;

/// <summary>Fingerprints every file of the corpus with the production extractor, <c>jobs</c> at a time.</summary>
internal static class CorpusFingerprints
{
    public static async Task<(Dictionary<string, MediaFingerprint> ByPath, double Seconds)> ExtractAsync(
        FingerprintExtractor extractor, IReadOnlyList<string> paths, int jobs, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var results = new ConcurrentDictionary<string, MediaFingerprint>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(paths, new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = cancellationToken }, async (path, ct) =>
        {
            var (fingerprint, error) = await extractor.ExtractAsync(path, ct);
            results[path] = fingerprint ?? throw new InvalidOperationException($"fingerprinting {path} failed: {error}");
        });
        return (new Dictionary<string, MediaFingerprint>(results, StringComparer.Ordinal), watch.Elapsed.TotalSeconds);
    }
}
